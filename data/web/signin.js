// Sign-in page: POST /api/session (no CSRF header: there is no session yet), then the dashboard.
'use strict';

App.ready(function () {
  const form = document.getElementById('signin-form');
  const agent = document.getElementById('agent-id');
  const password = document.getElementById('password');
  const submit = form.querySelector('[data-testid="signin-submit"]');

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    App.showError(null);
    if (!agent.value.trim() || !password.value) {
      App.showError(new Error('Enter your agent id and password.'));
      return;
    }
    submit.disabled = true;
    try {
      await App.api('POST', '/api/session', { agent_id: agent.value.trim(), password: password.value }, { auth: false });
      password.value = '';
      window.location.assign('/dashboard');
    } catch (e) {
      password.value = '';
      App.showError(e);
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
});
