// Deployment: the nginx configuration of docs/deploy.md, taken from the document itself, serves
// the bundle with every security header, the fallback to index.html for the app's routes (never
// for its files) and the wasm MIME type; the app runs under the header policy without a
// violation, and refuses to be framed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, launch, openPage, assertClean } from './support.mjs';

const BUNDLE = process.env.VIGIL_BUNDLE_DIR;
const NGINX = process.env.VIGIL_NGINX ?? '/usr/sbin/nginx';

let browser;
let nginx;
let origin;
let policy;
let wasm;

/// A free loopback port.
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/// The ```nginx blocks of docs/deploy.md, in order.
async function documentedConfig() {
  const doc = await readFile(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2, 'docs/deploy.md has the server block and the headers file');
  return blocks;
}

before(async () => {
  assert.ok(BUNDLE, 'VIGIL_BUNDLE_DIR names the bundle (cargo xtask test sets it)');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-nginx-'));
  // nginx's workers run as an unprivileged user when the master is root.
  await chmod(dir, 0o755);
  const root = join(dir, 'site');
  await cp(BUNDLE, root, { recursive: true });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The emulator's configuration, redirected to this origin.
  const config = await (await fetch(`${APP}/config.json`)).json();
  config.redirectUri = `${origin}/auth/callback`;
  await writeFile(join(root, 'config.json'), JSON.stringify(config));
  const index = await readFile(join(root, 'index.html'), 'utf8');
  policy = index.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  wasm = (await readdir(root)).find((f) => f.endsWith('.wasm'));
  assert.ok(wasm, 'the bundle has a wasm module');

  const [server, headers] = await documentedConfig();
  // The documented server block, on loopback without TLS (its headers are what is tested).
  const first = server.slice(0, server.indexOf('\n}\n') + 3);
  const site = first
    .split('\n')
    .filter((l) => !/^\s*(ssl_|server_name)/.test(l))
    .join('\n')
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port};`)
    .replaceAll('/srv/vigil', root)
    .replaceAll('/etc/nginx/vigil-headers.conf', join(dir, 'vigil-headers.conf'))
    .replace('POLICY', policy);
  assert.ok(site.includes(`listen 127.0.0.1:${port};`), 'the documented block listens on 443');
  await writeFile(join(dir, 'vigil-headers.conf'), headers);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n');
  await writeFile(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${temp}
  ${site}
}
`);
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => nginx.once('exit', (code) => resolve(code)));
  // Up when it answers; a configuration error ends the process instead.
  for (;;) {
    const up = await fetch(`${origin}/`).then(() => true, () => false);
    if (up) break;
    const code = await Promise.race([exited, new Promise((r) => setImmediate(() => r(undefined)))]);
    assert.equal(code, undefined, `nginx exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  browser = await launch();
});

after(async () => {
  nginx?.kill('SIGQUIT');
  await browser?.close();
});

function assertSecurityHeaders(res, what) {
  const h = (name) => res.headers.get(name);
  assert.equal(h('content-security-policy'), `${policy}; frame-ancestors 'none'`, `${what}: the bundle's policy, not framed`);
  assert.match(h('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval' 'sha256-/, `${what}: with the script hash`);
  assert.equal(h('strict-transport-security'), 'max-age=63072000; includeSubDomains', what);
  assert.equal(h('x-content-type-options'), 'nosniff', what);
  assert.equal(h('referrer-policy'), 'no-referrer', what);
  assert.equal(h('cross-origin-opener-policy'), 'same-origin', what);
  assert.equal(h('x-frame-options'), 'DENY', what);
}

test('the documented nginx block serves every header, the fallback and the wasm type', async () => {
  const home = await fetch(`${origin}/`);
  assert.equal(home.status, 200);
  assertSecurityHeaders(home, '/');
  // A route of the app, deep and with a query: index.html.
  const route = await fetch(`${origin}/correlation?cluster=da1&window=24`);
  assert.equal(route.status, 200);
  assert.match(route.headers.get('content-type'), /^text\/html/);
  assert.match(await route.text(), /http-equiv="Content-Security-Policy"/);
  assertSecurityHeaders(route, '/correlation');
  const module = await fetch(`${origin}/${wasm}`);
  assert.equal(module.status, 200);
  assert.equal(module.headers.get('content-type'), 'application/wasm');
  assertSecurityHeaders(module, wasm);
  // A missing file is an error, never index.html.
  const missing = await fetch(`${origin}/vigil-missing.js`);
  assert.equal(missing.status, 404);
  await missing.arrayBuffer();
  const config = await fetch(`${origin}/config.json`);
  assert.match(config.headers.get('content-type'), /^application\/json/);
  await config.arrayBuffer();
});

test('the app runs under the header policy, and refuses to be framed', async () => {
  const page = await openPage(browser);
  await page.goto(`${origin}/alerts`);
  await page.waitForSelector('nav.sidebar a', { timeout: 30000 });
  await page.waitForSelector('main h1');
  assert.equal(new URL(page.url()).origin, origin);
  assertClean(page);
  // Another page framing it: the browser refuses (frame-ancestors), so the frame never shows it.
  const framer = await openPage(browser);
  await framer.setContent(`<iframe src="${origin}/alerts"></iframe>`);
  const frame = framer.frames().find((f) => f !== framer.mainFrame());
  assert.ok(frame, 'the frame exists');
  const shown = await frame.$('nav.sidebar').catch(() => null);
  assert.equal(shown, null, `the framed app did not load (${frame.url()})`);
  assert.ok(framer.problems.some((p) => /frame-ancestors|Refused to (display|frame)/i.test(p)),
    `the refusal is reported (${framer.problems})`);
});
