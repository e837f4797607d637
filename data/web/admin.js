// Admin: live sessions (GET /api/admin/sessions, Revoke = DELETE /api/admin/sessions/{fingerprint}), the controls'
// counters (GET /api/admin/controls) and the recent events (GET /api/admin/events). Other roles get 403, shown in
// the alert. Reload reads all three; while the page is visible they are re-read every 5 s unless switched off.
'use strict';

App.ready(function () {
  const sessionsBody = document.getElementById('sessions-body');
  const count = document.getElementById('sessions-count');
  const reload = document.getElementById('sessions-reload');
  const auto = document.getElementById('auto-refresh');
  const lastLoaded = document.getElementById('last-loaded');
  const controlsBody = document.getElementById('controls-body');
  const controlsEmpty = document.getElementById('controls-empty');
  const eventsBody = document.getElementById('events-body');
  const eventsEmpty = document.getElementById('events-empty');
  const totals = {
    live_streams: document.getElementById('total-live-streams'),
    verified_tokens_cached: document.getElementById('total-verified-tokens'),
    refresh_families: document.getElementById('total-refresh-families'),
    denied_token_ids: document.getElementById('total-denied-tokens'),
  };
  const AUTO_REFRESH_MS = 5000;
  const SESSION_FIELDS = ['session', 'agent_id', 'role', 'client', 'client_name', 'created_ms', 'last_activity_ms',
                          'idle_ms', 'expires_at_ms'];
  const CONTROL_FIELDS = ['control', 'phase', 'mode', 'fixes', 'checks', 'rejections', 'shadow_rejections'];
  const NUMERIC = new Set(['checks', 'rejections', 'shadow_rejections', 'seq']);

  function listOf(data, key) {
    if (Array.isArray(data)) return data;
    return data && Array.isArray(data[key]) ? data[key] : [];
  }

  function cell(field, value) {
    const td = App.el('td', { 'data-field': field }, value);
    if (NUMERIC.has(field)) td.classList.add('num');
    return td;
  }

  // --- live sessions ---------------------------------------------------------------------------------------------

  function shownSession(session, field) {
    const v = session[field];
    if (field === 'created_ms' || field === 'last_activity_ms' || field === 'expires_at_ms') return App.formatMs(v);
    if (field === 'idle_ms') return v === undefined || v === null ? '' : Math.round(Number(v) / 1000);
    return v;
  }

  function sessionRow(session, index) {
    const tr = App.el('tr', { 'data-testid': 'session-row' });
    for (const field of SESSION_FIELDS) tr.appendChild(cell(field, shownSession(session, field)));
    const fingerprint = session.session === undefined || session.session === null ? '' : String(session.session);
    const first = tr.firstChild;
    first.id = 'session-cell-' + index;
    const button = App.el('button', { type: 'button', class: 'small danger', 'data-testid': 'revoke-session',
                                      'aria-describedby': first.id }, 'Revoke');
    button.disabled = fingerprint === '';
    button.addEventListener('click', function () { revoke(fingerprint, button); });
    const actions = App.el('td', { 'data-field': 'actions' });
    actions.appendChild(button);
    tr.appendChild(actions);
    return tr;
  }

  async function loadSessions() {
    const data = await App.api('GET', '/api/admin/sessions');
    const sessions = listOf(data, 'sessions');
    sessionsBody.replaceChildren.apply(sessionsBody, sessions.map(sessionRow));
    App.setText(count, (data && data.count !== undefined ? data.count : sessions.length) + ' live session(s)');
  }

  // --- controls and totals ---------------------------------------------------------------------------------------

  function controlRow(control) {
    const tr = App.el('tr', { 'data-testid': 'control-row' });
    for (const field of CONTROL_FIELDS) {
      const v = control[field];
      tr.appendChild(cell(field, field === 'fixes' && Array.isArray(v) ? v.join(', ') : v));
    }
    if (Number(control.rejections) > 0) tr.classList.add('rejected');
    if (Number(control.shadow_rejections) > 0) tr.classList.add('shadow-rejected');
    return tr;
  }

  async function loadControls() {
    const data = await App.api('GET', '/api/admin/controls');
    const controls = listOf(data, 'controls');
    controlsBody.replaceChildren.apply(controlsBody, controls.map(controlRow));
    controlsEmpty.hidden = controls.length > 0;
    for (const key of Object.keys(totals)) App.setText(totals[key], data ? data[key] : '');
  }

  // --- recent events ---------------------------------------------------------------------------------------------

  function eventRow(event) {
    const tr = App.el('tr', { 'data-testid': 'event-row' });
    tr.appendChild(cell('seq', event.seq));
    tr.appendChild(cell('time', event.time));
    tr.appendChild(cell('kind', event.kind));
    tr.appendChild(cell('agent_id', event.agent_id));
    tr.appendChild(cell('peer_address', event.peer_address));
    // Peer strings (refused payloads, names) live in `data`: one JSON line, written as text like everything else.
    tr.appendChild(cell('details', JSON.stringify(event.data === undefined ? null : event.data)));
    return tr;
  }

  async function loadEvents() {
    const events = listOf(await App.api('GET', '/api/admin/events'), 'events').filter(function (e) {
      return e && typeof e === 'object';
    });
    eventsBody.replaceChildren.apply(eventsBody, events.map(eventRow));
    eventsEmpty.hidden = events.length > 0;
  }

  // --- reading all three -----------------------------------------------------------------------------------------

  let alertFromLoad = false;  // the alert shows a read failure (cleared by the next good read), not an action's outcome

  async function readAll() {
    reload.disabled = true;
    try {
      const results = await Promise.allSettled([loadSessions(), loadControls(), loadEvents()]);
      const failed = results.filter(function (r) { return r.status === 'rejected'; })
        .map(function (r) { return r.reason; });
      if (failed.length === 0) {
        if (alertFromLoad) App.showError(null);
        alertFromLoad = false;
        App.setText(lastLoaded, 'updated ' + new Date().toLocaleTimeString());
        return;
      }
      if (failed.some(function (e) { return e && e.redirected; })) {
        stopAutoRefresh();
        return;
      }
      // Not an admin (403): polling would only collect more refusals.
      if (failed.some(function (e) { return e && e.status === 403; })) stopAutoRefresh();
      App.showError(failed[0]);
      alertFromLoad = true;
    } finally {
      reload.disabled = false;
    }
  }

  // One read at a time; a read asked for during one runs once it ends (several such requests make one read).
  let running = null;
  let queued = null;
  function loadAll() {
    if (queued) return queued;
    if (running) {
      queued = running.then(function () {
        queued = null;
        return loadAll();
      });
      return queued;
    }
    running = readAll().finally(function () { running = null; });
    return running;
  }

  // --- auto refresh ----------------------------------------------------------------------------------------------

  let timer = null;
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!auto.checked || document.visibilityState !== 'visible') return;
    timer = setTimeout(tick, AUTO_REFRESH_MS);
  }

  // Reads now, then again in 5 s (a pending timer is dropped: Reload restarts the count).
  function tick() {
    if (timer) clearTimeout(timer);
    timer = null;
    return loadAll().then(schedule);
  }

  function stopAutoRefresh() {
    auto.checked = false;
    schedule();
  }

  auto.addEventListener('change', function () {
    if (auto.checked) tick();
    else schedule();
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && auto.checked) tick();  // catch up at once, then every 5 s
    else schedule();
  });
  window.addEventListener('pagehide', function () {
    if (timer) clearTimeout(timer);
    timer = null;
  });
  window.addEventListener('pageshow', function (event) { if (event.persisted) tick(); });

  // --- actions ---------------------------------------------------------------------------------------------------

  async function revoke(fingerprint, button) {
    button.disabled = true;
    let outcome = null;
    let failure = null;
    try {
      const data = await App.api('DELETE', '/api/admin/sessions/' + encodeURIComponent(fingerprint));
      outcome = 'Session ' + fingerprint + ': ' + JSON.stringify(data);
    } catch (e) {
      failure = e;
    }
    await loadAll();
    schedule();
    alertFromLoad = false;
    if (failure) {
      App.showError(failure);
      button.disabled = false;  // the row is still there if the read failed too
    } else {
      App.showNotice(outcome);
    }
  }

  reload.addEventListener('click', function () { tick(); });
  tick();
});
