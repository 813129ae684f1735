// Sign-in: the OAuth 2.0 authorization-code flow with PKCE against the emulator's identity
// platform, the token lifecycle (silent renewal, refused renewal), incremental consent,
// error redirects, and where tokens must never be found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, AUTHORITY, GRAPH, launch, openPage, screenshot, chooseIdentity, signIn, storageDump,
  startEmulator, stopEmulators,
} from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  stopEmulators();
});

/// Records every token response, callback navigation and console message of `page`, and the
/// problems this suite is about. Failed Graph calls are left to the suites of the pages that
/// make them (this one only checks sign-in), and so is the identity page's missing favicon.
function watch(page, { graph = GRAPH, authority = AUTHORITY, refusalExpected = false } = {}) {
  const seen = { tokens: [], refreshes: 0, refused: 0, callbacks: [], console: [], authorize: [], problems: [] };
  const ignored = (url) => url.startsWith(graph + '/')
    || url === authority + '/favicon.ico'
    || (refusalExpected && url.startsWith(authority + '/') && url.endsWith('/oauth2/v2.0/token'));
  page.on('console', (msg) => {
    seen.console.push(msg.text());
    const url = msg.location()?.url ?? '';
    if (msg.type() === 'error' && !ignored(url)) seen.problems.push(`console error: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => seen.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? '';
    if (!failure.includes('ERR_ABORTED') && !ignored(req.url())) seen.problems.push(`request failed: ${req.url()} ${failure}`);
  });
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.url().includes('/auth/callback')) seen.callbacks.push(req.url());
    if (req.url().includes('/oauth2/v2.0/authorize') && req.method() === 'GET') seen.authorize.push(req.url());
  });
  page.on('response', async (resp) => {
    if (!resp.url().includes('/oauth2/v2.0/token') || resp.request().method() !== 'POST') return;
    const refresh = (resp.request().postData() ?? '').includes('grant_type=refresh_token');
    try {
      const body = await resp.json();
      if (resp.status() === 200) {
        seen.tokens.push(body.access_token, body.refresh_token, body.id_token);
        if (refresh) seen.refreshes += 1;
      } else if (refresh) {
        seen.refused += 1;
      }
    } catch { /* a body the browser did not keep */ }
  });
  return seen;
}

function assertClean(seen) {
  assert.deepEqual(seen.problems, [], 'the page reported problems');
}

/// No token may be in localStorage, in the address, or in the console; the access and ID
/// tokens not in sessionStorage either.
async function assertNoTokenLeaks(page, seen, { refreshInSession }) {
  const dump = await storageDump(page);
  const secrets = seen.tokens.filter(Boolean);
  assert.ok(secrets.length >= 3, 'token responses were observed');
  const local = JSON.stringify(dump.local);
  const session = JSON.stringify(dump.session);
  for (const s of secrets) {
    assert.ok(!local.includes(s), 'no token in localStorage');
    assert.ok(!dump.url.includes(s), 'no token in the URL');
    assert.ok(!seen.console.some((line) => line.includes(s)), 'no token in the console');
  }
  const [access, refresh, id] = seen.tokens.slice(-3);
  assert.ok(!session.includes(access), 'the access token lives in memory only');
  assert.ok(!session.includes(id), 'the ID token is not kept');
  if (refreshInSession) {
    const holder = Object.entries(dump.session).find(([, v]) => v.includes(refresh));
    assert.ok(holder, 'the refresh token is kept in sessionStorage (refreshTokenStorage: session)');
    assert.match(holder[0], /^vigil\.auth\./);
  }
  assert.ok(!/[?&#](code|access_token|id_token)=/.test(dump.url), `no code or token in ${dump.url}`);
}

test('sign in from a deep link lands back on it, with the user in the header and no token leaked', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await page.goto(APP + '/incidents?x=1');
  await page.waitForSelector('#incidents-title');
  assert.match(await page.textContent('#sign-in-panel'), /Sign in to see incidents/);
  assert.ok(await page.isVisible('nav.sidebar'), 'navigation stays visible when signed out');
  await page.click('#sign-in');
  await page.waitForURL((u) => u.href.startsWith(AUTHORITY));
  const authorize = new URL(seen.authorize.at(-1));
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
  assert.equal(authorize.searchParams.get('redirect_uri'), APP + '/auth/callback');
  assert.match(authorize.searchParams.get('scope'), /^openid profile offline_access .*SecurityAlert\.Read\.All/);
  assert.doesNotMatch(authorize.searchParams.get('scope'), /ReadWrite/, 'read scopes only at first');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  const url = new URL(page.url());
  assert.equal(url.pathname + url.search, '/incidents?x=1');
  assert.equal((await page.textContent('#account-name')).trim(), 'Alex Analyst');
  assert.equal((await page.textContent('#account-tenant')).trim(), 'Contoso (demo)');
  assert.ok(await page.isVisible('#incidents-title'));
  assert.equal(await page.$('#sign-in-panel'), null, 'the page shows its content once signed in');
  await assertNoTokenLeaks(page, seen, { refreshInSession: true });
  await screenshot(page, 'signed-in');
  // A reload stays signed in (silent renewal with the refresh token kept in this tab).
  await page.reload();
  await page.waitForSelector('#account-name');
  assertClean(seen);
});

test('a tampered state is refused with a message, and "Try again" signs in', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await page.goto(APP + '/alerts');
  await page.click('#sign-in');
  await page.waitForSelector('button[name="user"]');
  await page.evaluate(() => { document.querySelector('input[name="state"]').value += 'x'; });
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#sign-in-error');
  assert.match(await page.textContent('#sign-in-error-message'), /state is unknown, was altered, or was already used/);
  assert.ok(await page.isVisible('#header-sign-in'), 'not signed in');
  assert.equal(new URL(page.url()).search, '', 'the code is gone from the address bar');
  await screenshot(page, 'sign-in-tampered-state');
  await page.click('#retry-sign-in');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  assertClean(seen);
});

test('a replayed callback URL is refused', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await signIn(page, 'analyst', '/secure-score');
  assert.equal(new URL(page.url()).pathname, '/secure-score');
  const callback = seen.callbacks.find((u) => u.includes('code='));
  assert.ok(callback, 'the callback URL was seen');
  await page.goto(callback);
  await page.waitForSelector('#sign-in-error');
  assert.match(await page.textContent('#sign-in-error-message'), /already used/);
  assertClean(seen);
});

test('a declined sign-in shows the reason as text and a retry button', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await page.goto(APP + '/');
  await page.click('#sign-in');
  await page.waitForSelector('button[name="action"][value="cancel"]');
  await page.click('button[name="action"][value="cancel"]');
  await page.waitForSelector('#sign-in-error');
  assert.match(await page.textContent('#sign-in-error-message'), /cancelled|declined/);
  assert.match(await page.textContent('#sign-in-error-detail'), /AADSTS65004/);
  assert.ok(await page.isVisible('#retry-sign-in'));
  assertClean(seen);
});

test('write controls need the write scope: disabled with the reason, and incremental consent adds it', async () => {
  // The manager is read-only: the control stays disabled, with the reason.
  const manager = await openPage(browser);
  const managerSeen = watch(manager);
  await signIn(manager, 'manager', '/settings');
  await manager.waitForSelector('#write-access');
  assert.ok(await manager.isDisabled('#alert-comment-send'), 'disabled for the manager');
  assert.match(await manager.textContent('#access .requires-scope .reason'), /needs SecurityAlert\.ReadWrite\.All/);
  assert.match(await manager.textContent('#write-access tr[data-scope="SecurityAlert.ReadWrite.All"]'), /needs SecurityAlert\.ReadWrite\.All/);
  await screenshot(manager, 'settings-manager');
  // Asking for it goes through the identity platform, which grants the manager nothing more.
  await manager.click('#access .requires-scope .request-access');
  await chooseIdentity(manager, 'manager');
  await manager.waitForSelector('#write-access');
  assert.equal(new URL(manager.url()).pathname, '/settings', 'back on the same page');
  assert.ok(await manager.isDisabled('#alert-comment-send'), 'still disabled: not granted');
  assertClean(managerSeen);

  // The analyst signs in with read scopes only, then asks for the write scope and gets it.
  const analyst = await openPage(browser);
  const seen = watch(analyst);
  await signIn(analyst, 'analyst', '/settings');
  await analyst.waitForSelector('#write-access');
  assert.ok(await analyst.isDisabled('#alert-comment-send'), 'not yet consented');
  await analyst.click('#access .requires-scope .request-access');
  await chooseIdentity(analyst, 'analyst');
  await analyst.waitForSelector('#write-access');
  assert.match(new URL(seen.authorize.at(-1)).searchParams.get('scope'), /SecurityAlert\.ReadWrite\.All/);
  assert.match(await analyst.textContent('#granted-scopes'), /SecurityAlert\.ReadWrite\.All/);
  assert.ok(await analyst.isEnabled('#alert-comment-send'), 'enabled once granted');
  assert.equal(await analyst.$('#access .requires-scope .reason'), null);
  assertClean(seen);
});

test('sign-out forgets every token and returns to the signed-out landing', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await signIn(page, 'analyst', '/alerts');
  await page.click('#sign-out');
  await page.waitForSelector('#header-sign-in');
  assert.equal(new URL(page.url()).pathname, '/');
  await page.waitForSelector('#sign-in-panel');
  const dump = await storageDump(page);
  assert.deepEqual(Object.keys(dump.session).filter((k) => k.startsWith('vigil.auth.')), []);
  const all = JSON.stringify(dump);
  const tokens = seen.tokens.filter(Boolean);
  assert.ok(tokens.length >= 3, `token responses were observed (${tokens.length})`);
  for (const s of tokens) assert.ok(!all.includes(s), 'no token left in storage');
  await page.reload();
  await page.waitForSelector('#header-sign-in');
  assertClean(seen);
});

test('refreshTokenStorage "memory" keeps no token in sessionStorage, so a reload signs out', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const json = { ...(await response.json()), refreshTokenStorage: 'memory' };
    await route.fulfill({ response, json });
  });
  await signIn(page, 'analyst', '/settings');
  const dump = await storageDump(page);
  const session = JSON.stringify(dump.session);
  const tokens = seen.tokens.filter(Boolean);
  assert.ok(tokens.length >= 3, `token responses were observed (${tokens.length})`);
  for (const s of tokens) assert.ok(!session.includes(s), 'no token in sessionStorage');
  assert.deepEqual(Object.keys(dump.session).filter((k) => k.startsWith('vigil.auth.')), []);
  await page.reload();
  await page.waitForSelector('#header-sign-in');
  assert.equal(await page.$('#account-name'), null, 'signed out after a reload');
  assertClean(seen);
});

test('two tenants: add a tenant, switch between them', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  await signIn(page, 'analyst', '/settings');
  await page.selectOption('#add-tenant', { label: 'Fabrikam (demo)' });
  await chooseIdentity(page, 'manager');
  await page.waitForSelector('#tenant-switcher');
  assert.equal((await page.textContent('#account-tenant')).trim(), 'Fabrikam (demo)');
  assert.match(await page.textContent('#access'), /fabrikam\.example/);
  const contoso = await page.$eval('#tenant-switcher option:not(:checked)', (o) => o.value);
  await page.selectOption('#tenant-switcher', contoso);
  await page.waitForFunction(() => document.querySelector('#account-tenant')?.textContent.includes('Contoso'));
  assert.match(await page.textContent('#access'), /contoso\.example/);
  assertClean(seen);
});

test('with 20 s tokens the session renews silently during a minute of use', { timeout: 90000 }, async () => {
  const emu = await startEmulator(['--token-ttl', '20']);
  const page = await openPage(browser);
  const seen = watch(page, emu);
  const graphOk = [];
  page.on('response', (r) => { if (r.url().startsWith(emu.graph) && r.request().method() === 'GET') graphOk.push(r.status()); });
  await page.goto(emu.app + '/settings');
  await page.click('#sign-in');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  const key = Object.keys((await storageDump(page)).session).find((k) => k.startsWith('vigil.auth.session.'));
  const firstRefresh = (await storageDump(page)).session[key];
  const started = Date.now();
  // Untouched, the token is renewed by the timer at 80 % of its 20 s life, not on demand.
  await page.waitForTimeout(18000);
  assert.equal(seen.refreshes, 1, 'renewed once, silently, at ~16 s without any Graph call');
  assert.equal(graphOk.length, 0);
  while (Date.now() - started < 60000) {
    await page.waitForTimeout(9500);
    const before = graphOk.length;
    await page.click('#check-connection');
    await page.waitForFunction(() => !document.querySelector('#check-connection').disabled);
    await page.waitForTimeout(200);
    assert.ok(graphOk.length > before, 'a Graph call was made');
    assert.match(await page.textContent('#connection-result'), /Connected to Microsoft Graph as Alex Analyst/);
  }
  assert.ok(seen.refreshes >= 3, `renewed silently ${seen.refreshes} times in a minute of 20 s tokens`);
  assert.equal(seen.refused, 0);
  assert.ok(graphOk.every((s) => s === 200), `every Graph call succeeded: ${graphOk}`);
  assert.equal(await page.$('#session-ended'), null);
  assert.notEqual((await storageDump(page)).session[key], firstRefresh, 'the refresh token was rotated');
  await assertNoTokenLeaks(page, seen, { refreshInSession: true });
  assertClean(seen);
});

test('when renewal is refused the user signs in again and comes back to the same view with the draft', { timeout: 90000 }, async () => {
  const emu = await startEmulator(['--token-ttl', '20', '--refresh-token-lifetime', '10']);
  const page = await openPage(browser);
  const seen = watch(page, { ...emu, refusalExpected: true });
  await page.goto(emu.app + '/settings');
  await page.click('#sign-in');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#write-access');
  await page.click('#access .requires-scope .request-access');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#alert-comment-text:enabled');
  await page.fill('#alert-comment-id', 'da0000000000000000_1');
  await page.fill('#alert-comment-text', 'Escalating: same host as last week');
  // The token renews at 16 s, after the 10 s cap of the refresh token chain: refused.
  await page.waitForSelector('#session-ended', { timeout: 40000 });
  assert.match(await page.textContent('#session-ended'), /Your session ended — sign in again/);
  assert.ok(seen.refused >= 1, 'the refresh was refused by the identity platform');
  assert.equal(new URL(page.url()).pathname, '/settings', 'the page is not lost');
  assert.ok(await page.isVisible('#settings-title'));
  await screenshot(page, 'session-ended');
  await page.click('#sign-in-again');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  await page.waitForSelector('#alert-comment-text');
  assert.equal(new URL(page.url()).pathname, '/settings', 'back on the same view');
  assert.equal(await page.inputValue('#alert-comment-text'), 'Escalating: same host as last week', 'the draft survived');
  assert.equal(await page.$('#session-ended'), null);
  assert.match(new URL(seen.authorize.at(-1)).searchParams.get('scope'), /SecurityAlert\.ReadWrite\.All/, 'consented scopes are asked again');
  assertClean(seen);
});
