// Agents: a coordinator or an admin registers a worker (POST /api/agents → 201 with its one-time password).
// The password is shown once, copied with the Clipboard API, and wiped from the page on Done or on leaving.
'use strict';

App.ready(function () {
  const form = document.getElementById('agent-form');
  const agentId = document.getElementById('new-agent-id');
  const submit = document.getElementById('agent-submit');
  const created = document.getElementById('agent-created');
  const summary = document.getElementById('new-agent-summary');
  const output = document.getElementById('new-agent-password');
  const copy = document.getElementById('copy-password');
  const done = document.getElementById('password-done');
  const copyStatus = document.getElementById('copy-status');
  const command = document.getElementById('worker-command');
  const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
  const SPECIALTIES = ['data_analysis', 'code_review', 'testing', 'documentation'];

  let password = '';  // the only copy in the page, besides the text on screen; '' once cleared

  function checkboxes() {
    return Array.from(form.querySelectorAll('input[type="checkbox"][name="specialties"]'));
  }

  // A shell word: as is when it needs no quoting, otherwise in single quotes.
  function shellWord(s) {
    return /^[A-Za-z0-9_.,:=+@%/-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
  }

  function clearPassword() {
    password = '';
    App.setText(output, '');
    App.setText(command, '');
    App.setText(summary, '');
    App.setText(copyStatus, '');
    created.hidden = true;
    const selection = window.getSelection ? window.getSelection() : null;
    if (selection) selection.removeAllRanges();
  }

  function showCreated(data, askedId, askedSpecialties) {
    const id = data.agent_id ? String(data.agent_id) : askedId;
    const specialties = Array.isArray(data.specialties) && data.specialties.length > 0 ? data.specialties.map(String)
                                                                                       : askedSpecialties;
    password = String(data.password);
    App.setText(summary, 'Agent ' + id + ' registered as ' + (data.role || 'worker') + ', specialties: ' +
                         specialties.join(', ') + '.');
    App.setText(output, password);
    App.setText(command, './lab worker --stage 5 --id ' + shellWord(id) + ' --password ' + shellWord(password) +
                         ' --specialty ' + shellWord(specialties[0]) + ' --certificates state/ca');
    created.hidden = false;
    copy.focus();
  }

  function selectPassword() {
    if (!window.getSelection || !document.createRange) return;
    const range = document.createRange();
    range.selectNodeContents(output);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    App.showError(null);
    const id = agentId.value.trim();
    if (!ID_PATTERN.test(id)) {
      App.showError(new Error('The agent id is 1 to 64 letters, digits, "_", "." or "-".'));
      agentId.focus();
      return;
    }
    const boxes = checkboxes();
    const specialties = boxes.filter(function (box) { return box.checked && SPECIALTIES.includes(box.value); })
      .map(function (box) { return box.value; });
    if (specialties.length === 0) {
      App.showError(new Error('Pick at least one specialty.'));
      if (boxes.length > 0) boxes[0].focus();
      return;
    }
    clearPassword();
    submit.disabled = true;
    try {
      const data = await App.api('POST', '/api/agents', { agent_id: id, specialties: specialties });
      if (!data || typeof data.password !== 'string' || data.password === '') {
        throw new Error('The agent may have been created, but the answer held no password.');
      }
      form.reset();
      showCreated(data, id, specialties);
    } catch (e) {
      App.showError(e);
    } finally {
      submit.disabled = false;
    }
  });

  copy.addEventListener('click', async function () {
    if (!password) return;
    App.setText(copyStatus, '');
    try {
      if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') {
        throw new Error('this browser offers no clipboard access here');
      }
      await navigator.clipboard.writeText(password);
      App.setText(copyStatus, 'Copied to the clipboard.');
    } catch (e) {
      App.showError(new Error('Could not copy the password (' + ((e && e.message) || 'refused') +
                              '): it is selected, copy it by hand.'));
      selectPassword();
    }
  });

  done.addEventListener('click', function () {
    clearPassword();
    App.showError(null);
    agentId.focus();
  });

  // Leaving the page (including into the back-forward cache) wipes the password; it is never shown again.
  window.addEventListener('pagehide', clearPassword);
  window.addEventListener('pageshow', function (event) { if (event.persisted) clearPassword(); });
});
