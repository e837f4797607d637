// Project page: the task table, the add-task form, and live updates over server-sent events.
'use strict';

App.ready(function () {
  const projectId = new URLSearchParams(window.location.search).get('id') || '';
  const base = '/api/projects/' + encodeURIComponent(projectId);
  const title = document.getElementById('project-title');
  const description = document.getElementById('project-description');
  const owner = document.getElementById('project-owner');
  const tbody = document.getElementById('tasks-body');
  const empty = document.getElementById('tasks-empty');
  const live = document.getElementById('live-status');
  const form = document.getElementById('task-form');
  const submit = form.querySelector('[data-testid="task-submit"]');
  const FIELDS = ['id', 'specialty', 'description', 'status', 'assignee', 'version', 'result'];
  const rows = new Map();  // task id → <tr>

  // --- rendering -------------------------------------------------------------------------------------------------

  function cell(row, field) {
    return row.querySelector('td[data-field="' + field + '"]');
  }

  function setStatusClass(row, status) {
    const c = cell(row, 'status');
    for (const name of Array.from(c.classList)) if (name.startsWith('status-')) c.classList.remove(name);
    if (status) c.classList.add('status-' + String(status).replace(/[^a-z-]/g, ''));
  }

  function flash(row) {
    row.classList.remove('flash');
    void row.offsetWidth;  // restart the animation
    row.classList.add('flash');
  }

  function newRow(id) {
    const row = App.el('tr', { 'data-testid': 'task-row', 'data-task-id': id });
    for (const field of FIELDS) row.appendChild(App.el('td', { 'data-field': field }));
    row.addEventListener('animationend', function () { row.classList.remove('flash'); });
    rows.set(id, row);
    return row;
  }

  // Writes the fields `task` carries into its row, unless the row already shows a newer version.
  function update(row, task) {
    const current = Number(row.dataset.version);
    if (task.version !== undefined && task.version !== null && row.dataset.version !== undefined &&
        Number(task.version) < current) return false;
    for (const field of FIELDS) {
      if (field === 'id' || !(field in task)) continue;
      App.setText(cell(row, field), task[field]);
    }
    if ('status' in task) setStatusClass(row, task.status);
    if (task.version !== undefined && task.version !== null) row.dataset.version = String(task.version);
    return true;
  }

  function renderTasks(tasks) {
    const seen = new Set();
    for (const task of tasks) {
      if (!task || task.id === undefined) continue;
      const id = String(task.id);
      seen.add(id);
      let row = rows.get(id);
      if (!row) {
        row = newRow(id);
        App.setText(cell(row, 'id'), id);
      }
      update(row, task);
      tbody.appendChild(row);  // keeps the server's order
    }
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.remove();
        rows.delete(id);
      }
    }
    empty.hidden = rows.size > 0;
  }

  // The project read answers {project, tasks}; older shapes put the tasks inside the project object.
  function renderProject(data) {
    const project = data && data.project && typeof data.project === 'object' ? data.project : (data || {});
    App.setText(title, project.name || projectId);
    document.title = (project.name || 'Project') + ' · Agent lab';
    App.setText(description, project.description || '');
    App.setText(owner, project.owner ? 'owner: ' + project.owner : '');
    const tasks = Array.isArray(data && data.tasks) ? data.tasks : project.tasks;
    if (!Array.isArray(tasks)) return false;
    renderTasks(tasks);
    return true;
  }

  // --- reading ---------------------------------------------------------------------------------------------------

  async function loadTasks() {
    const data = await App.api('GET', base + '/tasks');
    renderTasks(Array.isArray(data) ? data : (data && data.tasks) || []);
  }

  // Re-reads the task list after an event the row cannot be updated from; bursts of events make one read.
  let reloadTimer = null;
  let reloading = false;
  let reloadAgain = false;
  function scheduleReload() {
    if (reloading) { reloadAgain = true; return; }
    if (reloadTimer) return;
    reloadTimer = setTimeout(async function () {
      reloadTimer = null;
      reloading = true;
      try {
        await loadTasks();
      } catch (e) {
        App.showError(e);
      } finally {
        reloading = false;
        if (reloadAgain) { reloadAgain = false; scheduleReload(); }
      }
    }, 250);
  }

  // --- live updates ----------------------------------------------------------------------------------------------

  function setLive(state, label) {
    live.dataset.state = state;
    App.setText(live, label);
  }

  function onTaskEvent(message) {
    let event;
    try { event = JSON.parse(message.data); } catch (e) { return; }
    if (!event || event.task_id === undefined) return;
    const row = rows.get(String(event.task_id));
    if (event.kind === 'task_created' || !row) { scheduleReload(); return; }
    const change = {};
    for (const field of ['status', 'assignee', 'version']) if (field in event) change[field] = event[field];
    if (event.kind === 'task_claimed' && !('status' in change)) change.status = 'working';
    if (update(row, change)) flash(row);
    // A claim names no assignee, and a finished task's result is not in the event: read the list for those.
    if (!('assignee' in event) || /^(completed|failed|input-required)$/.test(String(event.status))) scheduleReload();
  }

  let source = null;
  let retryDelay = 1000;
  function connect() {
    if (source) source.close();
    setLive('connecting', 'connecting…');
    source = new EventSource(base + '/events');
    source.onopen = function () {
      retryDelay = 1000;
      setLive('on', 'live: connected');
    };
    source.addEventListener('snapshot', function (message) {
      try {
        if (!renderProject(JSON.parse(message.data))) scheduleReload();
      } catch (e) {
        scheduleReload();
      }
    });
    source.addEventListener('task', onTaskEvent);
    source.onerror = function () {
      if (source.readyState !== EventSource.CLOSED) {
        setLive('reconnecting', 'live: reconnecting…');  // the browser retries by itself
        return;
      }
      // Refused (e.g. 401 once the access token expired): refresh through the API, then open a new stream.
      setLive('reconnecting', 'live: reconnecting…');
      source.close();
      setTimeout(async function () {
        try {
          await App.api('GET', '/api/session');
          connect();
        } catch (e) {
          App.showError(e);
          setLive('off', 'live: disconnected');
        }
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  // --- add a task ------------------------------------------------------------------------------------------------

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    App.showError(null);
    const body = {
      specialty: form.elements.specialty.value,
      description: form.elements.description.value.trim(),
      input: form.elements.input.value,
    };
    if (!body.description) {
      App.showError(new Error('A task needs a description.'));
      form.elements.description.focus();
      return;
    }
    submit.disabled = true;
    try {
      const task = await App.api('POST', base + '/tasks', body);
      if (task && task.id !== undefined && !rows.has(String(task.id))) scheduleReload();
      form.elements.description.value = '';
      form.elements.input.value = '';
    } catch (e) {
      App.showError(e);
    } finally {
      submit.disabled = false;
    }
  });

  // --- start -----------------------------------------------------------------------------------------------------

  async function start() {
    if (!projectId) {
      App.showError(new Error('No project id in the address (expected /project?id=…).'));
      return;
    }
    try {
      if (!renderProject(await App.api('GET', base))) await loadTasks();
      connect();
    } catch (e) {
      App.showError(e);
      setLive('off', 'live: disconnected');
    }
  }

  window.addEventListener('pagehide', function () { if (source) source.close(); });
  window.addEventListener('pageshow', function (event) { if (event.persisted && projectId) connect(); });
  start();
});
