// Admin: the live sessions table (GET /api/admin/sessions; 403 for other roles, shown in the alert).
'use strict';

App.ready(function () {
  const body = document.getElementById('sessions-body');
  const count = document.getElementById('sessions-count');
  const reload = document.getElementById('sessions-reload');
  const fields = ['session', 'agent_id', 'role', 'client', 'client_name', 'created_ms', 'last_activity_ms', 'idle_ms',
                  'expires_at_ms'];

  function shown(session, field) {
    const v = session[field];
    if (field === 'created_ms' || field === 'last_activity_ms' || field === 'expires_at_ms') return App.formatMs(v);
    if (field === 'idle_ms') return v === undefined || v === null ? '' : Math.round(Number(v) / 1000);
    return v;
  }

  function row(session) {
    const tr = App.el('tr', { 'data-testid': 'session-row' });
    for (const field of fields) tr.appendChild(App.el('td', { 'data-field': field }, shown(session, field)));
    return tr;
  }

  async function load() {
    reload.disabled = true;
    try {
      const data = await App.api('GET', '/api/admin/sessions');
      const sessions = Array.isArray(data) ? data : (data && Array.isArray(data.sessions) ? data.sessions : []);
      body.replaceChildren.apply(body, sessions.map(row));
      App.setText(count, (data && data.count !== undefined ? data.count : sessions.length) + ' live session(s)');
      App.showError(null);
    } catch (e) {
      App.showError(e);
    } finally {
      reload.disabled = false;
    }
  }

  reload.addEventListener('click', load);
  load();
});
