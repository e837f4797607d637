// The victim's browser for stage 5's browser attacks: one Debian Chromium, driven by playwright-core, shared by the
// browser attacks of one lab process (a matrix plays its browser cells side by side in it). Each attack gets a
// browser context of its own: cookies, storage and cache as fresh as a new profile's. Chromium trusts each stage's
// lab CA through the NSS database of a fresh HOME, as a user's browser would, never by ignoring certificate errors.
// The scenarios are in victim_scenarios.cjs; src/attacks/browser_host.* starts this host and asks it.
//
//   node victim_browser.cjs --work DIR [--chromium PATH]
//
// DIR is its starter's own directory (mode 0700) holding `token`. The host listens on 127.0.0.1, on a port the
// kernel picks, written to DIR/port as "PORT tcp" once it listens. Each connection brings one request, a JSON line:
//
//   {"token": T, "scenario": S, "origin": "https://localhost:PORT", "ca_dir": DIR, "user": U, "password": P,
//    "project": ID, "name": TEXT}                                  (project and name where the scenario needs them)
//
// and gets one line back: {"facts": {...}} or {"error": "..."}. T must be DIR/token's content, so no other local
// process can make the victim's browser do anything. The host stops on SIGTERM, when its parent has gone, or when
// Chromium has.
'use strict';

const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { scenarios, signIn } = require('./victim_scenarios.cjs');

const kMaxRequestBytes = 64 * 1024;

function options(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    o[argv[i].slice(2)] = argv[i + 1];
  }
  if (!o.work) throw new Error('--work is required');
  return o;
}

// The NSS database of the browser's HOME, which trusts each lab CA a request names (once per distinct CA).
class TrustStore {
  constructor(home) {
    this.db = path.join(home, '.pki', 'nssdb');
    this.trusted = new Set();
    fs.mkdirSync(this.db, { recursive: true });
    execFileSync('certutil', ['-d', `sql:${this.db}`, '-N', '--empty-password']);
  }

  trust(caDir) {
    const file = path.join(caDir, 'ca.crt');
    const id = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 32);
    if (this.trusted.has(id)) return;
    execFileSync('certutil', ['-d', `sql:${this.db}`, '-A', '-t', 'C,,', '-n', `lab-ca-${id}`, '-i', file]);
    this.trusted.add(id);
  }
}

// One request: the victim signs in, in a context of her own, and plays the scenario; its facts.
async function play(browser, trustStore, request) {
  const scenario = scenarios[request.scenario];
  if (!scenario) throw new Error(`unknown scenario ${request.scenario}; there are: ${Object.keys(scenarios).join(', ')}`);
  for (const field of ['origin', 'ca_dir', 'user', 'password']) {
    if (typeof request[field] !== 'string' || !request[field]) throw new Error(`the request needs ${field}`);
  }
  const o = { origin: request.origin, 'ca-dir': request.ca_dir, user: request.user, password: request.password,
              project: request.project, name: request.name };
  trustStore.trust(o['ca-dir']);
  const context = await browser.newContext();
  try {
    // Generous bounds: the stage under attack may be a sanitizer build on a machine busy with other cells.
    context.setDefaultTimeout(30000);
    context.setDefaultNavigationTimeout(30000);
    const page = await context.newPage();
    await signIn(page, o);
    return { scenario: request.scenario, ...(await scenario(context, page, o)) };
  } finally {
    await context.close().catch(() => {});
  }
}

function sameToken(given, expected) {
  const a = Buffer.from(String(given || '')), b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// Reads one line from `socket` (at most kMaxRequestBytes), answers it with `answer(line)`'s reply, and closes.
function serveOneLine(socket, answer) {
  let buffered = '';
  const reply = (value) => socket.end(`${JSON.stringify(value)}\n`);
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    if (buffered === null) return;
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > kMaxRequestBytes) { buffered = null; reply({ error: 'request too long' }); }
      return;
    }
    const line = buffered.slice(0, end);
    buffered = null;
    answer(line).then(reply, (e) => reply({ error: e && e.stack ? e.stack : String(e) }));
  });
}

async function main() {
  const o = options(process.argv.slice(2));
  const token = fs.readFileSync(path.join(o.work, 'token'), 'utf8').trim();
  if (token.length < 32) throw new Error('the token file holds no token');
  // Chromium on Linux reads the user's trust anchors from $HOME/.pki/nssdb, and sees anchors added while it runs.
  const home = path.join(o.work, 'home');
  const trustStore = new TrustStore(home);
  const browser = await chromium.launch({
    executablePath: o.chromium || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, HOME: home },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
    handleSIGTERM: false, handleSIGINT: false, handleSIGHUP: false,
    timeout: 60000,
  });
  let stopping = false;
  const stop = (status) => {
    if (stopping) return;
    stopping = true;
    browser.close().catch(() => {}).finally(() => process.exit(status));
  };
  browser.on('disconnected', () => { if (!stopping) { process.stderr.write('victim_browser: Chromium went away\n'); process.exit(1); } });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) stop(0); }, 500);

  const server = net.createServer((socket) => serveOneLine(socket, async (line) => {
    const request = JSON.parse(line);
    if (!sameToken(request.token, token)) return { error: 'not this host\'s token' };
    return { facts: await play(browser, trustStore, request) };
  }));
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const portFile = path.join(o.work, 'port');
  fs.writeFileSync(`${portFile}.new`, `${server.address().port} tcp\n`);
  fs.renameSync(`${portFile}.new`, portFile);
}

main().catch((e) => {
  process.stderr.write(`victim_browser: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
