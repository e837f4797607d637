// Dashboard: the project list and the form that creates a project.
'use strict';

App.ready(function () {
  const list = document.getElementById('projects-list');
  const empty = document.getElementById('projects-empty');
  const form = document.getElementById('project-form');
  const name = document.getElementById('project-name');
  const description = document.getElementById('project-description');
  const submit = form.querySelector('[data-testid="project-submit"]');

  function projectsOf(data) {
    if (Array.isArray(data)) return data;
    if (data && Array.isArray(data.projects)) return data.projects;
    return [];
  }

  function item(project) {
    const li = App.el('li', { 'data-testid': 'project-item', 'data-project-id': String(project.id) });
    const link = App.el('a', { 'data-testid': 'project-link' }, project.name || project.id);
    link.href = '/project?id=' + encodeURIComponent(project.id);
    li.appendChild(link);
    if (project.description) li.appendChild(App.el('p', { class: 'description' }, project.description));
    if (project.owner) li.appendChild(App.el('p', { class: 'muted' }, 'owner: ' + project.owner));
    return li;
  }

  async function load() {
    try {
      const projects = projectsOf(await App.api('GET', '/api/projects'));
      list.replaceChildren.apply(list, projects.map(item));
      empty.hidden = projects.length > 0;
    } catch (e) {
      App.showError(e);
    }
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    App.showError(null);
    if (!name.value.trim()) {
      App.showError(new Error('A project needs a name.'));
      name.focus();
      return;
    }
    submit.disabled = true;
    try {
      await App.api('POST', '/api/projects', { name: name.value.trim(), description: description.value });
      form.reset();
      await load();
    } catch (e) {
      App.showError(e);
    } finally {
      submit.disabled = false;
    }
  });

  load();
});
