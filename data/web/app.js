// Shared helpers for every page: peer text output, API calls (CSRF, one refresh on 401), header bar.
// No framework, no inline code: the page's Content-Security-Policy allows scripts from this origin only.
'use strict';

(function () {
  // How peer-supplied text is written, decided by the server per page load (see setText).
  function renderMode() {
    const meta = document.querySelector('meta[name="lab-render"]');
    return meta && meta.getAttribute('content') === 'html' ? 'html' : 'text';
  }
  const RENDER = renderMode();

  // THE ONLY place peer-supplied text reaches the page. Everything from the API goes through here.
  function setText(element, value) {
    let s;
    if (value === null || value === undefined) s = '';
    else if (typeof value === 'object') s = JSON.stringify(value);
    else s = String(value);
    if (RENDER === 'html') {
      // DELIBERATELY VULNERABLE: the lab's "output-encoding" control is switched off, so peer text is parsed as
      // markup (stored XSS demonstration). Never reached while the control is on.
      element.innerHTML = s;
    } else {
      element.textContent = s;
    }
  }

  // A new element; `text` (optional) goes through setText.
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    if (attrs) for (const name of Object.keys(attrs)) node.setAttribute(name, attrs[name]);
    if (text !== undefined) setText(node, text);
    return node;
  }

  // The CSRF cookie (the only cookie script can read): hardened name first, then the plain one.
  function csrfToken() {
    const pairs = document.cookie ? document.cookie.split(';') : [];
    for (const name of ['__Host-csrf', 'csrf']) {
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
      }
    }
    return '';
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function send(method, path, body, withCsrf) {
    const init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body === undefined ? {} : body);
      if (withCsrf) init.headers['X-CSRF-Token'] = csrfToken();
    }
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const err = data && data.error ? data.error : {};
      throw new ApiError(response.status, err.code || 'HTTP_' + response.status,
                         err.message || 'request failed (' + response.status + ')');
    }
    return data;
  }

  // One refresh at a time for the whole page: the server ends the session when a refresh token is used twice.
  // Another tab may have refreshed a moment before: the server then answers 409 (the token was just rotated) and
  // the cookies this page sends already hold the new tokens, so the call is simply made again.
  let refreshing = null;
  function refreshSession() {
    if (!refreshing) {
      refreshing = send('POST', '/api/session/refresh', {}, true)
        .then(function () { return true; }, function (e) { return e.status === 409; })
        .finally(function () { setTimeout(function () { refreshing = null; }, 0); });
    }
    return refreshing;
  }

  function toSignIn() {
    window.location.assign('/');
    const e = new ApiError(401, 'AUTH_REQUIRED', 'signed out');
    e.redirected = true;
    return e;
  }

  // api(method, path, body?, {auth: false}) → parsed JSON. auth:false (sign-in) sends no CSRF header, no refresh.
  async function api(method, path, body, options) {
    const auth = !(options && options.auth === false);
    try {
      return await send(method, path, body, auth);
    } catch (e) {
      if (!auth || e.status !== 401) throw e;
    }
    if (!(await refreshSession())) throw toSignIn();
    try {
      return await send(method, path, body, true);
    } catch (e) {
      if (e.status === 401) throw toSignIn();
      throw e;
    }
  }

  // The page's role="alert" element shows an error (or clears it with null).
  function showError(error) {
    if (error && error.redirected) return;
    const alert = document.querySelector('[data-testid="alert"]');
    if (!alert) return;
    alert.classList.remove('info');
    if (!error) {
      setText(alert, '');
      alert.hidden = true;
      return;
    }
    setText(alert, error.message || String(error));
    alert.hidden = false;
  }

  // The same element with the outcome of an action that worked (styled apart from errors).
  function showNotice(message) {
    const alert = document.querySelector('[data-testid="alert"]');
    if (!alert) return;
    setText(alert, message);
    alert.classList.add('info');
    alert.hidden = false;
  }

  function formatMs(ms) {
    const n = Number(ms);
    return n > 0 ? new Date(n).toLocaleString() : '';
  }

  // Header bar: "signed in as AGENT (ROLE)", the Sessions (admin) and Agents (admin, coordinator) links, Sign out.
  // Resolves to the session info (or null).
  async function initHeader() {
    const whoami = document.querySelector('[data-testid="whoami"]');
    const signout = document.querySelector('[data-testid="signout"]');
    if (signout) {
      signout.addEventListener('click', async function () {
        signout.disabled = true;
        try {
          await api('DELETE', '/api/session');  // an expired access token is refreshed first, so the session ends
        } catch (e) {
          // Already gone: the sign-in page either way.
        }
        window.location.assign('/');
      });
    }
    if (!whoami) return null;
    try {
      const info = await api('GET', '/api/session');
      setText(whoami, 'signed in as ' + info.agent_id + ' (' + info.role + ')');
      if (info.role === 'admin') {
        const adminLink = document.querySelector('[data-nav="admin"]');
        if (adminLink) adminLink.hidden = false;
      }
      if (info.role === 'admin' || info.role === 'coordinator') {
        const agentsLink = document.querySelector('[data-nav="agents"]');
        if (agentsLink) agentsLink.hidden = false;
      }
      return info;
    } catch (e) {
      showError(e);
      return null;
    }
  }

  function ready(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  const session = new Promise(function (resolve) {
    ready(function () { initHeader().then(resolve); });
  });

  window.App = {
    setText: setText,
    el: el,
    api: api,
    showError: showError,
    showNotice: showNotice,
    formatMs: formatMs,
    ready: ready,
    session: session,
    refreshSession: refreshSession,
  };
})();
