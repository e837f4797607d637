// Stage 5 in a real Chromium: what a user of the HTTPS dashboard would notice, and what an attacker's page on
// another site can (not) do. Run with node's own test runner: `node --test tests/browser/`.
//
// The browser trusts the lab CA the way a user's browser would: through an NSS database in a fresh HOME, never
// through ignoreHTTPSErrors or --ignore-certificate-errors. Every attack that must fail here is also run against a
// lab server with the control that stops it switched off, where it must succeed: otherwise a test that "passes"
// might only prove that the attack never ran.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
// playwright-core is installed once for the lab, in browser/ (npm ci --ignore-scripts --prefix browser, which ./lab runs).
const { chromium } = createRequire(path.join(repo, 'browser', 'package.json'))('playwright-core');
const LAB = path.resolve(repo, process.env.LAB_BINARY || 'build/release/app/lab');
const CHROMIUM = process.env.CHROMIUM_BINARY || '/usr/bin/chromium';

const ALICE = ['alice', 'alice-wonderland-2026'];  // coordinator
const BOB = ['bob', 'password1'];                   // worker
const ADMIN = ['admin', 'Adm1n-lab-S3cret!'];       // admin
const ATTACKER_HOST = '127.0.0.2';                  // another site than https://localhost

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `probe` (errors count as "not yet") until it returns something truthy; fails after `timeout` ms.
async function eventually(probe, { timeout = 10000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      assert.fail(`${message} not met within ${timeout} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(interval);
  }
}

// --- processes -------------------------------------------------------------------------------------------------

// The lab binary may be being rebuilt: wait (bounded) while it is missing or busy being written.
async function labBinary() {
  await eventually(() => {
    try {
      fs.accessSync(LAB, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }, { timeout: 60000, interval: 500, message: `the lab binary ${LAB} to exist` });
  return LAB;
}

function run(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 30000, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n${stdout}${stderr}`;
        reject(error);
      } else {
        resolve(stdout);
      }
    });
  });
}

// Runs the lab binary, retrying while it is missing or being replaced (ENOENT, ETXTBSY).
async function runLab(args) {
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      return await run(await labBinary(), args);
    } catch (e) {
      if (!['ENOENT', 'ETXTBSY'].includes(e.code) || Date.now() > deadline) throw e;
      await sleep(500);
    }
  }
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');  // last resort: the runner is going away
});

class LabServer {
  constructor(tmp, name, disabledControls = []) {
    this.name = name;
    this.portFile = path.join(tmp, `${name}.port`);
    this.disabledControls = disabledControls;
    this.tmp = tmp;
    this.output = '';
  }

  async start() {
    const args = ['serve', '--stage', '5', '--certificates', path.join(this.tmp, 'ca'), '--in-memory', '--port', '0',
                  '--port-file', this.portFile, '--argon2-memory-kib', '64'];
    for (const control of this.disabledControls) args.push('--disable-control', control);
    const deadline = Date.now() + 20000;
    for (;;) {
      // TMPDIR: a stage kept in memory writes its audit log there; it goes with the temporary directory.
      const child = spawn(await labBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'],
                                                     env: { ...process.env, TMPDIR: this.tmp } });
      const spawned = await new Promise((resolve) => {
        child.once('spawn', () => resolve(null));
        child.once('error', (e) => resolve(e));
      });
      if (!spawned) {
        this.child = child;
        break;
      }
      if (!['ENOENT', 'ETXTBSY'].includes(spawned.code) || Date.now() > deadline) throw spawned;
      await sleep(500);
    }
    children.add(this.child);
    const keep = (chunk) => { this.output = (this.output + chunk).slice(-4000); };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      children.delete(this.child);
      resolve({ code, signal });
    }));
    let gone = null;
    this.exited.then((status) => { gone = status; });
    this.port = await eventually(() => {
      if (gone) throw new Error(`lab serve (${this.name}) exited ${JSON.stringify(gone)}: ${this.output}`);
      const m = /^(\d+)\s/.exec(fs.existsSync(this.portFile) ? fs.readFileSync(this.portFile, 'utf8') : '');
      return m ? Number(m[1]) : null;
    }, { timeout: Math.max(1000, deadline - Date.now()), interval: 50, message: `the port file of lab serve (${this.name})` })
      .catch((e) => {
        e.message += `\nserver output: ${this.output}`;
        throw e;
      });
    this.origin = `https://localhost:${this.port}`;
    return this;
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited, sleep(5000).then(() => null)]);
    if (!stopped) this.child.kill('SIGKILL');
  }
}

// --- a non-browser client: node over HTTPS, trusting the lab CA ---------------------------------------------------

class NodeClient {
  constructor(server, caFile) {
    this.server = server;
    this.ca = fs.readFileSync(caFile);
    this.cookies = new Map();
  }

  request(method, target, body) {
    const headers = { Host: `localhost:${this.server.port}`, Accept: 'application/json' };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    if (method !== 'GET' && this.cookies.has('__Host-csrf')) headers['X-CSRF-Token'] = this.cookies.get('__Host-csrf');
    return new Promise((resolve, reject) => {
      // The server listens on 127.0.0.1; the certificate names localhost.
      const req = https.request({ host: '127.0.0.1', port: this.server.port, servername: 'localhost', ca: this.ca,
                                  method, path: target, headers, timeout: 10000 }, (res) => {
        for (const line of res.headers['set-cookie'] || []) {
          const pair = line.split(';')[0];
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
          else this.cookies.set(name, value);
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => {
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, json, text });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${target}: no answer in 10 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async expect(status, method, target, body) {
    const r = await this.request(method, target, body);
    assert.equal(r.status, status, `${method} ${target} → ${r.status} ${r.text}`);
    return r.json;
  }
}

// --- the attacker's site: plain HTTP on another loopback address ----------------------------------------------------

function attackerPages(req) {
  const url = new URL(req.url, 'http://attacker');
  const target = url.searchParams.get('target') || '';
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  if (url.pathname === '/csrf') {
    // A form whose text/plain body reads as JSON: name + "=" + value = {"name":"csrf-pwned","description":"="}
    // (the lab refuses unknown fields, so the padding goes into a field it knows), and a credentialed no-cors fetch.
    return `<!DOCTYPE html><html><body><h1>You won a prize</h1>
<form id="f" method="POST" enctype="text/plain" action="${esc(target)}">
<input type="hidden" name="${esc('{"name":"csrf-pwned","description":"')}" value="${esc('"}')}">
</form>
<script>
fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', mode: 'no-cors',
                                   body: '{"name":"csrf-pwned-2"}' })
  .catch(function () {})
  .finally(function () { document.getElementById('f').submit(); });
</script></body></html>`;
  }
  if (url.pathname === '/frame') {
    return `<!DOCTYPE html><html><body><h1>Click the button for a prize</h1>
<iframe name="victim" src="${esc(target)}" width="800" height="600"
        onload="window.frameLoads = (window.frameLoads || 0) + 1"></iframe>
</body></html>`;
  }
  return null;
}

function startAttacker() {
  const server = http.createServer((req, res) => {
    const page = attackerPages(req);
    res.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page || 'not here');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ATTACKER_HOST, () => resolve(server));
  });
}

// --- set-up: CA, servers, browser ----------------------------------------------------------------------------------

let tmp;
let browser;
let attacker;
let attackerOrigin;
const servers = {};

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-browser-'));
  await runLab(['ca', 'init', '--dir', path.join(tmp, 'ca')]);

  // Chromium on Linux reads the user's trust anchors from $HOME/.pki/nssdb: a fresh HOME that trusts the lab CA.
  const home = path.join(tmp, 'home');
  const nssdb = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  await run('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  await run('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'labca', '-i', path.join(tmp, 'ca', 'ca.crt')]);

  const started = [
    // every control on: the stage as it is meant to run
    new LabServer(tmp, 'lab').start().then((s) => { servers.lab = s; }),
    // every control on too, for the admin and agents pages: the sign-in throttle allows 10 sign-ins per address in a
    // burst, and the tests on `lab` already use 6 of them
    new LabServer(tmp, 'lab-admin').start().then((s) => { servers.admin = s; }),
    // the controls that stop a cross-site request forgery, off
    new LabServer(tmp, 'no-csrf-defences', ['csrf-token', 'origin-check', 'hardened-cookie'])
      .start().then((s) => { servers.noCsrf = s; }),
    // no Content-Security-Policy frame-ancestors, no X-Frame-Options
    new LabServer(tmp, 'no-security-headers', ['security-headers']).start().then((s) => { servers.noHeaders = s; }),
    // peer text written as markup, and no CSP to stop its inline handler
    new LabServer(tmp, 'no-output-encoding', ['output-encoding', 'security-headers'])
      .start().then((s) => { servers.noEncoding = s; }),
    startAttacker().then((s) => {
      attacker = s;
      attackerOrigin = `http://${ATTACKER_HOST}:${s.address().port}`;
    }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, HOME: home },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync'],
      timeout: 30000,
    }).then((b) => { browser = b; }),
  ];
  // Wait for all of them, so that a failure leaves nothing half-started for `after` to miss.
  const results = await Promise.allSettled(started);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (attacker) {
    attacker.closeAllConnections?.();
    await new Promise((resolve) => attacker.close(resolve));
  }
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await Promise.all([...children].map((c) => {
    c.kill('SIGTERM');  // a server whose start failed half-way
    return new Promise((resolve) => c.once('exit', resolve));
  }));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// A fresh browser context (its own cookie jar) for one test, closed whatever happens.
async function withContext(fn) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(10000);
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
  }
}

// Signs in through the form, as a user would; ends on the dashboard with the header naming the user.
async function signIn(page, server, [user, password]) {
  await page.goto(`${server.origin}/`);
  await page.fill('[data-testid=agent-id]', user);
  await page.fill('[data-testid=password]', password);
  await Promise.all([
    page.waitForURL(`${server.origin}/dashboard`),
    page.click('[data-testid=signin-submit]'),
  ]);
  await page.locator('[data-testid=whoami]', { hasText: user }).waitFor();
}

// Creates a project through the dashboard's form; resolves to its list item (found by the id the API gave it, not by
// how its name is rendered).
async function createProjectInPage(page, name) {
  await page.fill('[data-testid=project-form] [data-testid=project-name]', name);
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/projects') && r.request().method() === 'POST'),
    page.click('[data-testid=project-form] [data-testid=project-submit]'),
  ]);
  assert.equal(created.status(), 201, `creating the project: ${await created.text()}`);
  const { id } = await created.json();
  const item = page.locator(`[data-testid=projects-list] [data-testid=project-item][data-project-id="${id}"]`);
  await item.waitFor();
  return item;
}

// The project list as the signed-in page itself reads it (its own cookies, its own origin).
function projectNames(page) {
  return page.evaluate(() => fetch('/api/projects').then((r) => r.json()).then((j) => j.projects.map((p) => p.name)));
}

// --- the tests -------------------------------------------------------------------------------------------------

test('a user signs in, creates a project and signs out; the session is then gone', { timeout: 30000 }, () =>
  withContext(async (context) => {
    const lab = servers.lab;
    const page = await context.newPage();
    await signIn(page, lab, ALICE);
    assert.match(await page.textContent('[data-testid=whoami]'), /alice/);

    const name = `release plan ${Date.now()}`;
    const item = await createProjectInPage(page, name);
    assert.equal(await item.locator('[data-testid=project-link]').textContent(), name);
    assert.equal(await page.inputValue('[data-testid=project-name]'), '', 'the form was cleared');
    assert.equal(await page.evaluate(() => fetch('/api/projects').then((r) => r.status)), 200);

    await Promise.all([page.waitForURL(`${lab.origin}/`), page.click('[data-testid=signout]')]);
    const left = (await context.cookies(lab.origin)).map((c) => c.name);
    for (const name of ['__Host-access', '__Host-fgp', '__Host-refresh']) {
      assert.ok(!left.includes(name), `${name} is gone (left: ${left.join(', ')})`);
    }

    // The dashboard sends a signed-out user back to the sign-in page, and the API refuses the page.
    await page.goto(`${lab.origin}/dashboard`);
    await page.waitForURL(`${lab.origin}/`);
    assert.equal(await page.evaluate(() => fetch('/api/projects').then((r) => r.status)), 401);
  }));

test('the session cookies are stored hardened and only the CSRF cookie is visible to scripts', { timeout: 30000 }, () =>
  withContext(async (context) => {
    const lab = servers.lab;
    const page = await context.newPage();
    await signIn(page, lab, ALICE);
    const cookies = new Map((await context.cookies(lab.origin)).map((c) => [c.name, c]));
    for (const name of ['__Host-access', '__Host-fgp', '__Host-refresh', '__Host-csrf']) {
      const c = cookies.get(name);
      assert.ok(c, `${name} is stored (have ${[...cookies.keys()].join(', ')})`);
      assert.equal(c.secure, true, `${name} secure`);
      assert.equal(c.sameSite, 'Strict', `${name} sameSite`);
      assert.equal(c.path, '/', `${name} path`);
      assert.equal(c.domain, 'localhost', `${name} is host-only`);
      assert.equal(c.httpOnly, name !== '__Host-csrf', `${name} httpOnly`);
    }
    const visible = await page.evaluate(() => document.cookie);
    const names = visible.split(';').map((pair) => pair.split('=')[0].trim()).filter(Boolean);
    assert.deepEqual(names, ['__Host-csrf'], `document.cookie = ${visible}`);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
  }));

test("a worker's progress reaches the open project page live", { timeout: 30000 }, () =>
  withContext(async (context) => {
    const lab = servers.lab;
    const page = await context.newPage();
    await signIn(page, lab, ALICE);
    const item = await createProjectInPage(page, `live ${Date.now()}`);
    const projectId = await item.getAttribute('data-project-id');
    await Promise.all([
      page.waitForURL(`${lab.origin}/project?id=${encodeURIComponent(projectId)}`),
      item.locator('[data-testid=project-link]').click(),
    ]);
    const live = page.locator('[data-testid=live-status]');
    await eventually(async () => (await live.getAttribute('data-state')) === 'on',
                     { message: 'the live stream to connect' });
    assert.match(await live.textContent(), /\bconnected\b/);

    await page.selectOption('[data-testid=task-specialty]', 'data_analysis');
    await page.fill('[data-testid=task-description]', 'count the words');
    await page.fill('[data-testid=task-input]', 'one two three');
    await page.click('[data-testid=task-submit]');
    const row = page.locator('[data-testid=task-row]').first();
    await row.waitFor();
    const taskId = await row.getAttribute('data-task-id');
    const status = row.locator('[data-field=status]');
    const statusIs = (expected) => eventually(async () => (await status.textContent()) === expected,
                                              { timeout: 10000, message: `the task's status to read ${expected}` });
    assert.equal(await row.locator('[data-field=specialty]').textContent(), 'data_analysis');

    // Bob works on it from outside the browser; the page is never reloaded.
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) ++navigations; });
    const bob = new NodeClient(lab, path.join(tmp, 'ca', 'ca.crt'));
    await bob.expect(200, 'POST', '/api/session', { agent_id: BOB[0], password: BOB[1] });
    await bob.expect(200, 'POST', '/api/agents/self', { specialties: ['data_analysis'] });
    await bob.expect(200, 'POST', `/api/tasks/${encodeURIComponent(taskId)}/claim`, {});
    await statusIs('working');
    await eventually(async () => (await row.locator('[data-field=assignee]').textContent()) === 'bob',
                     { message: 'the assignee to read bob' });
    await bob.expect(200, 'POST', `/api/tasks/${encodeURIComponent(taskId)}/status`,
                     { status: 'completed', result: { words: 3 } });
    await statusIs('completed');
    await eventually(async () => /3/.test(await row.locator('[data-field=result]').textContent()),
                     { message: 'the result to show' });
    assert.equal(navigations, 0, 'the page was not reloaded');
    assert.equal(await live.getAttribute('data-state'), 'on');
  }));

// The name is stored as given; the pages must show it as text.
const XSS_NAME = '<img src=x onerror="window.__pwned=1">';

async function storeXssProject(context, server) {
  const page = await context.newPage();
  await signIn(page, server, ALICE);
  const item = await createProjectInPage(page, XSS_NAME);
  const projectId = await item.getAttribute('data-project-id');
  await page.reload();  // the list as the dashboard renders it on a fresh load
  await page.locator('[data-testid=projects-list] [data-testid=project-item]').first().waitFor();
  return { page, projectId };
}

test('a project name holding markup is shown as text and runs no script', { timeout: 30000 }, () =>
  withContext(async (context) => {
    const lab = servers.lab;
    const { page, projectId } = await storeXssProject(context, lab);
    const list = page.locator('[data-testid=projects-list]');
    const item = list.locator(`[data-project-id="${projectId}"]`);
    assert.match(await item.textContent(), /<img/);
    assert.equal(await list.locator('img').count(), 0);
    await sleep(300);  // time for an error handler to have run, were there an image
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');

    await page.goto(`${lab.origin}/project?id=${encodeURIComponent(projectId)}`);
    const title = page.locator('[data-testid=project-title]');
    await eventually(async () => /<img/.test(await title.textContent()), { message: 'the title to show the name' });
    assert.equal(await page.locator('main img').count(), 0);
    await sleep(300);
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  }));

test('the same name runs its script when output encoding and the CSP are off (the test above can fail)',
  { timeout: 30000 }, () => withContext(async (context) => {
    const { page, projectId } = await storeXssProject(context, servers.noEncoding);
    await page.locator(`[data-project-id="${projectId}"] img`).first().waitFor({ state: 'attached' });
    await eventually(() => page.evaluate(() => window.__pwned === 1), { timeout: 5000, message: 'the payload to run' });
  }));

// Opens the attacker's CSRF page in `context` (the victim's browser profile). Resolves to the forged requests that
// left the browser (by kind: the form's navigation is a "document", the script's request a "fetch") and the lab's
// answer to the form.
//
// What Chromium does with them (seen in the lab's audit log while writing this test): the no-cors fetch is sent,
// but without cookies even when they are SameSite=None (this profile sends no third-party cookies), so the lab
// answers AUTH_REQUIRED; its response is unreadable anyway (Cross-Origin-Resource-Policy: same-origin →
// net::ERR_BLOCKED_BY_RESPONSE). The form's top-level navigation is the real threat: it carries SameSite=None
// cookies, and the hardened lab refuses it (ORIGIN_REFUSED; SameSite=Strict cookies are not sent either).
async function forgeFromAnotherSite(context, server) {
  const page = await context.newPage();
  const target = `${server.origin}/api/projects`;
  const sent = new Set();
  const formAnswers = [];
  page.on('request', (r) => {
    if (r.url() === target && r.method() === 'POST') sent.add(r.resourceType());
  });
  page.on('response', (r) => {
    if (r.url() === target && r.request().method() === 'POST' && r.request().resourceType() === 'document') {
      formAnswers.push(r.status());
    }
  });
  await page.goto(`${attackerOrigin}/csrf?target=${encodeURIComponent(target)}`);
  // The form navigates the tab to the lab's answer: the forged request was sent.
  await page.waitForURL(target, { timeout: 5000, waitUntil: 'commit' });
  await eventually(() => formAnswers.length > 0, { timeout: 5000, message: "the lab's answer to the form" });
  await sleep(1000);  // anything else the page set off has landed by now
  await page.close();
  return { sent: [...sent].sort(), formAnswers };
}

test('a page on another site cannot make a signed-in browser create a project', { timeout: 30000 }, (t) =>
  withContext(async (context) => {
    const lab = servers.lab;
    const page = await context.newPage();
    await signIn(page, lab, ALICE);
    const { sent, formAnswers } = await forgeFromAnotherSite(context, lab);
    t.diagnostic(`forged requests sent: ${sent.join(', ')}; the lab answered the form ${formAnswers.join(', ')}`);
    assert.deepEqual(sent, ['document', 'fetch'], 'both forged requests left the browser');
    assert.ok(formAnswers.every((status) => status >= 400), `the form's POST was refused: ${formAnswers}`);
    const names = await projectNames(page);
    assert.ok(!names.includes('csrf-pwned'), `projects: ${JSON.stringify(names)}`);
    assert.ok(!names.includes('csrf-pwned-2'), `projects: ${JSON.stringify(names)}`);
    // Alice's session is untouched by the attempt.
    assert.equal(await page.evaluate(() => fetch('/api/projects').then((r) => r.status)), 200);
  }));

test('the same page does create a project when the CSRF defences are off (the test above can fail)',
  { timeout: 30000 }, () => withContext(async (context) => {
    const weak = servers.noCsrf;
    const page = await context.newPage();
    await signIn(page, weak, ALICE);
    const cookies = new Map((await context.cookies(weak.origin)).map((c) => [c.name, c]));
    assert.equal(cookies.get('access')?.sameSite, 'None', 'the weak server sets SameSite=None cookies');
    const { sent, formAnswers } = await forgeFromAnotherSite(context, weak);
    assert.deepEqual(sent, ['document', 'fetch'], 'both forged requests left the browser');
    assert.deepEqual(formAnswers, [201], "the form's POST created something");
    const names = await projectNames(page);
    assert.ok(names.includes('csrf-pwned'), `projects: ${JSON.stringify(names)}`);
  }));

// Opens the attacker's page framing `server`'s dashboard; resolves to what the frame shows.
async function frameFromAnotherSite(context, server) {
  const page = await context.newPage();
  await page.goto(`${attackerOrigin}/frame?target=${encodeURIComponent(`${server.origin}/dashboard`)}`);
  await eventually(() => page.evaluate(() => window.frameLoads > 0), { timeout: 5000, message: 'the iframe to load' });
  return { page, frame: () => page.frame({ name: 'victim' }) };
}

// Whether the frame shows one of the lab's pages (its origin and its own markup).
async function showsLabPage(frame, server) {
  if (!frame || !frame.url().startsWith(`${server.origin}/`)) return false;
  return frame.evaluate(() => document.querySelector('main h1') !== null);
}

test('a page on another site cannot frame the dashboard', { timeout: 30000 }, (t) =>
  withContext(async (context) => {
    const lab = servers.lab;
    const { frame } = await frameFromAnotherSite(context, lab);
    await sleep(500);
    const f = frame();
    assert.ok(f, 'the attacker page has its iframe');
    t.diagnostic(`the attacker's frame shows ${f.url()}`);
    assert.ok(!f.url().startsWith(lab.origin), `the frame stays off the lab: ${f.url()}`);
    assert.equal(await showsLabPage(f, lab).catch(() => false), false);
  }));

test('the dashboard can be framed when the security headers are off (the test above can fail)',
  { timeout: 30000 }, () => withContext(async (context) => {
    const weak = servers.noHeaders;
    const { frame } = await frameFromAnotherSite(context, weak);
    // The frame holds the lab's sign-in page: the framed dashboard gets no SameSite=Strict cookie inside another
    // site's page, so its script sends the frame to sign in. Either way the lab's own page is under the attacker's.
    await eventually(() => showsLabPage(frame(), weak), { timeout: 5000, message: 'the lab page inside the frame' });
  }));

// --- the admin and agents pages (on servers.admin) ------------------------------------------------------------------

// The fingerprint the admin page lists for the session a context is signed in with: the first 12 hex digits of the
// `sid` claim of its access token (read from the HttpOnly cookie by the test, as no script on the page can).
async function sessionFingerprint(context, server) {
  const access = (await context.cookies(server.origin)).find((c) => c.name === '__Host-access');
  assert.ok(access, 'the access cookie is stored');
  const claims = JSON.parse(Buffer.from(access.value.split('.')[1], 'base64url').toString('utf8'));
  assert.match(claims.sid, /^[0-9a-f]{12,}$/, `the sid claim: ${claims.sid}`);
  return claims.sid.slice(0, 12);
}

// What the page's own script could send: the API call, and a refresh with the CSRF cookie as its header.
const apiStatus = (page) => page.evaluate(() => fetch('/api/projects').then((r) => r.status));
const refreshStatus = (page) => page.evaluate(() => {
  const pair = document.cookie.split(';').map((p) => p.trim()).find((p) => p.startsWith('__Host-csrf='));
  return fetch('/api/session/refresh', {
    method: 'POST',
    headers: { 'X-CSRF-Token': pair ? pair.slice('__Host-csrf='.length) : '', 'Content-Type': 'application/json' },
    body: '{}',
  }).then((r) => r.status);
});

test("an admin revokes a user's session from the admin page; the user's tokens stop working", { timeout: 30000 }, (t) =>
  withContext((userContext) => withContext(async (adminContext) => {
    const server = servers.admin;
    const user = await userContext.newPage();
    await signIn(user, server, ALICE);
    assert.equal(await apiStatus(user), 200, 'alice is signed in before the revoke');
    const fingerprint = await sessionFingerprint(userContext, server);

    const admin = await adminContext.newPage();
    await signIn(admin, server, ADMIN);
    await admin.goto(`${server.origin}/admin`);
    const aliceRows = admin.locator('[data-testid=sessions-table] [data-testid=session-row]')
      .filter({ has: admin.locator('[data-field=agent_id]', { hasText: /^alice$/ }) });
    await aliceRows.first().waitFor();
    const row = aliceRows.filter({ has: admin.locator('[data-field=session]', { hasText: fingerprint }) });
    assert.equal(await row.count(), 1, `one row for alice's session ${fingerprint}`);

    const [revoked] = await Promise.all([
      admin.waitForResponse((r) => r.request().method() === 'DELETE' &&
                                   r.url() === `${server.origin}/api/admin/sessions/${fingerprint}`),
      row.locator('[data-testid=revoke-session]').click(),
    ]);
    assert.equal(revoked.status(), 200, `the revoke: ${await revoked.text()}`);
    await eventually(async () => (await row.count()) === 0, { message: 'the revoked session to leave the table' });
    const alert = admin.locator('[data-testid=alert]');
    await alert.waitFor();
    const notice = await alert.textContent();
    t.diagnostic(`the admin page says: ${notice}`);
    assert.match(notice, new RegExp(`Session ${fingerprint}`));

    // Alice's page: the access cookie no longer names a live session, and the refresh cookie's family went too.
    assert.equal(await apiStatus(user), 401, 'the API refuses the revoked session');
    assert.equal(await refreshStatus(user), 401, 'the refresh token is dead');

    const controls = admin.locator('[data-testid=controls-table] [data-testid=control-row]');
    await controls.first().waitFor();
    assert.equal(await controls.filter({ has: admin.locator('[data-field=control]', { hasText: /^access-token$/ }) })
      .count(), 1, 'the controls table lists access-token');

    await admin.reload();
    const revokedEvents = admin.locator('[data-testid=events-table] [data-testid=event-row]')
      .filter({ has: admin.locator('[data-field=kind]', { hasText: /^session_revoked$/ }) });
    await revokedEvents.first().waitFor();
    assert.match(await revokedEvents.first().locator('[data-field=details]').textContent(), new RegExp(fingerprint));
  })));

test('a coordinator enrolls a worker; its password is shown once and signs it in', { timeout: 30000 }, (t) =>
  withContext(async (context) => {
    const server = servers.admin;
    const page = await context.newPage();
    await signIn(page, server, ALICE);
    await page.goto(`${server.origin}/agents`);
    await page.locator('[data-testid=whoami]', { hasText: 'alice' }).waitFor();

    const enroll = async (id) => {
      await page.fill('[data-testid=new-agent-id]', id);
      await page.check('[data-testid=specialty-data_analysis]');
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${server.origin}/api/agents` && r.request().method() === 'POST'),
        page.click('[data-testid=agent-submit]'),
      ]);
      return answer;
    };

    const id = 'worker-web-1';
    const created = await enroll(id);
    assert.equal(created.status(), 201, `enrolling ${id}: ${await created.text()}`);
    const shown = page.locator('[data-testid=new-agent-password]');
    await shown.waitFor();
    const password = (await shown.textContent()).trim();
    assert.match(password, /^\S{16,}$/, `the password shown: ${JSON.stringify(password)}`);
    assert.ok((await page.evaluate(() => document.body.innerText)).includes(password), 'the page shows it');
    assert.match(await page.textContent('[data-testid=worker-command]'), new RegExp(`--id ${id} `));

    await page.click('[data-testid=password-done]');
    await shown.waitFor({ state: 'hidden' });
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(password), 'gone from the text shown');
    assert.ok(!(await page.evaluate(() => document.documentElement.textContent)).includes(password),
              'gone from the document altogether');

    // The new worker signs in with it, from outside the browser.
    const worker = new NodeClient(server, path.join(tmp, 'ca', 'ca.crt'));
    const session = await worker.expect(200, 'POST', '/api/session', { agent_id: id, password });
    assert.equal(session?.role, 'worker', JSON.stringify(session));

    // The name is taken now: the page says so and shows no password.
    const again = await enroll(id);
    assert.equal(again.status(), 409, `enrolling ${id} again: ${await again.text()}`);
    const alert = page.locator('[role=alert], [data-testid=alert]').first();
    await alert.waitFor();
    const refusal = (await alert.textContent()).trim();
    t.diagnostic(`enrolling ${id} again: ${again.status()}, the page says: ${refusal}`);
    assert.notEqual(refusal, '', 'the alert says why');
    assert.equal(await shown.isVisible(), false, 'no password is shown');
    assert.equal(await page.locator('[data-testid=agent-created]').isVisible(), false);
    assert.equal((await shown.textContent()).trim(), '', 'the password element is empty');
  }));
