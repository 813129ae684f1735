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

/// Waits until `cond()` holds (polled), failing with `what` after `timeout` ms.
async function waitFor(cond, what, timeout = 20000) {
  const end = Date.now() + timeout;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/// Moves time forward by `seconds` for both sides: the emulator's identity platform (token
/// lifetimes, the refresh-token cap, Graph's expiry check) and the page's clock (its renewal
/// timers fire). The page's clock must have been installed before the app loaded.
async function advance(page, emu, seconds) {
  const r = await fetch(`${emu.graph}/_emulator/clock?advance=${seconds}`, { method: 'POST' });
  assert.equal(r.status, 200, 'the emulator moved its clock');
  await page.clock.fastForward(seconds * 1000);
}

/// A test control of the emulator (`_emulator/revoke?...`).
async function control(emu, what) {
  const r = await fetch(`${emu.graph}/_emulator/${what}`, { method: 'POST' });
  assert.equal(r.status, 204, `${what}: ${await r.text()}`);
}

/// Presses "Check connection" (a Graph call) and returns what it says.
async function checkConnection(page) {
  await page.waitForSelector('#check-connection:enabled');
  await page.click('#check-connection');
  await page.waitForSelector('#check-connection:enabled');
  return (await page.textContent('#connection-result')).trim();
}

/// Signs in as the analyst on the extra emulator `emu`, on Settings.
async function signInOn(page, emu) {
  await page.goto(emu.app + '/settings');
  await page.click('#sign-in');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
}

/// The refresh token the tab keeps (refreshTokenStorage: session).
async function keptRefreshToken(page) {
  const session = (await storageDump(page)).session;
  const key = Object.keys(session).find((k) => k.startsWith('vigil.auth.session.'));
  assert.ok(key, 'a session is kept in sessionStorage');
  return JSON.parse(session[key]).refresh_token;
}

/// No token may be in localStorage, in the address, or in the console; the access and ID
/// tokens not in sessionStorage either.
async function assertNoTokenLeaks(page, seen, { refreshInSession }) {
  const secrets = seen.tokens.filter(Boolean);
  assert.ok(secrets.length >= 3, `token responses were observed (${secrets.length})`);
  const dump = await storageDump(page);
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

test('a crafted callback link shows only a generic message, never its own text', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  // Anyone can send this link; before the fix its text appeared on Vigil's page.
  await page.goto(APP + '/auth/callback?error=access_denied&error_description=Your+account+is+locked.+Call+%2B1+555+0100&state=forged');
  await page.waitForSelector('#sign-in-error');
  const text = await page.textContent('#sign-in-error');
  assert.doesNotMatch(text, /555|locked/, 'the link\'s text is not shown');
  assert.match(await page.textContent('#sign-in-error-message'), /does not answer a sign-in started in this tab/);
  assert.equal(await page.$('#sign-in-error-detail'), null);
  // Without any state, and with an error code of its own invention, the same.
  await page.goto(APP + '/auth/callback?error=Call+%2B1+555+0100');
  await page.waitForSelector('#sign-in-error');
  assert.doesNotMatch(await page.textContent('#sign-in-error'), /555/);
  assertClean(seen);
});

test('a config.json whose redirectUri is not this app\'s callback gives the setup page', async () => {
  const page = await openPage(browser);
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const json = { ...(await response.json()), redirectUri: 'http://127.0.0.1:9999/auth/callback' };
    await route.fulfill({ response, json });
  });
  await page.goto(APP + '/');
  await page.waitForSelector('text=/redirectUri must be/');
  assert.match(await page.textContent('body'), new RegExp(`redirectUri must be ${APP}/auth/callback`));
  assert.equal(await page.$('#sign-in'), null, 'no sign-in that would fail every time');
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

test('sign-out forgets every token and ends the session at the identity platform', async () => {
  const page = await openPage(browser);
  const seen = watch(page);
  const logouts = [];
  page.on('request', (req) => { if (req.url().includes('/oauth2/v2.0/logout')) logouts.push(new URL(req.url())); });
  await signIn(page, 'analyst', '/alerts');
  // A silent sign-in (prompt=none) is what a live session at the identity platform allows.
  const silent = async () => {
    const u = new URL(seen.authorize.at(-1));
    u.searchParams.set('prompt', 'none');
    const r = await page.request.get(u.href, { maxRedirects: 0 });
    return new URL(r.headers().location).searchParams;
  };
  assert.ok((await silent()).get('code'), 'the session at the identity platform is live');
  await page.click('#sign-out');
  await page.waitForURL((u) => u.origin === APP && u.pathname === '/' && logouts.length === 1);
  await page.waitForSelector('#header-sign-in');
  assert.equal(logouts[0].origin, AUTHORITY);
  assert.equal(logouts[0].searchParams.get('post_logout_redirect_uri'), APP + '/auth/callback');
  assert.match(logouts[0].searchParams.get('logout_hint') ?? '', /^lh\./, 'the account is named, as MSAL does');
  assert.equal((await silent()).get('error'), 'login_required', 'the session at the identity platform ended');
  await page.waitForSelector('#sign-in-panel');
  const dump = await storageDump(page);
  assert.deepEqual(Object.keys(dump.session).filter((k) => k.startsWith('vigil.auth.')), []);
  const all = JSON.stringify(dump);
  const tokens = seen.tokens.filter(Boolean);
  assert.ok(tokens.length >= 3, `token responses were observed (${tokens.length})`);
  for (const s of tokens) assert.ok(!all.includes(s), 'no token left in storage');
  // The next sign-in shows the account picker, with nobody signed in.
  await page.click('#sign-in');
  await page.waitForSelector('button[name="user"]');
  assert.equal(await page.$('#signed-in-as'), null, 'no account to pick without a password');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
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

test('with 20 s tokens the session renews silently, on its timer, through three lifetimes', async () => {
  const emu = await startEmulator(['--token-ttl', '20']);
  const page = await openPage(browser);
  await page.clock.install();
  const seen = watch(page, emu);
  const graph = [];
  page.on('response', (r) => { if (r.url().startsWith(emu.graph + '/v1.0/') && r.request().method() === 'GET') graph.push(r.status()); });
  await signInOn(page, emu);
  const firstRefresh = await keptRefreshToken(page);
  // Untouched, the token is renewed by the timer at 80 % of its 20 s life, not on demand.
  await advance(page, emu, 15);
  assert.equal(seen.refreshes, 0, 'not renewed before 80 % of the lifetime');
  await advance(page, emu, 2);
  await waitFor(() => seen.refreshes === 1, 'the renewal at 16 s');
  assert.equal(graph.length, 0, 'renewed without any Graph call');
  for (let round = 2; round <= 4; round += 1) {
    assert.match(await checkConnection(page), /Connected to Microsoft Graph as Alex Analyst/);
    // Past the old token's expiry on the emulator's clock: only a renewed token works.
    await advance(page, emu, 17);
    await waitFor(() => seen.refreshes === round, `renewal ${round}`);
  }
  assert.match(await checkConnection(page), /Connected to Microsoft Graph as Alex Analyst/);
  assert.equal(seen.refused, 0);
  assert.ok(graph.length >= 4 && graph.every((s) => s === 200), `every Graph call succeeded: ${graph}`);
  assert.equal(await page.$('#session-ended'), null);
  assert.notEqual(await keptRefreshToken(page), firstRefresh, 'the refresh token was rotated');
  await assertNoTokenLeaks(page, seen, { refreshInSession: true });
  assertClean(seen);
});

test('when renewal is refused the user signs in again and comes back to the same view with the draft', async () => {
  const emu = await startEmulator(['--token-ttl', '20', '--refresh-token-lifetime', '10']);
  const page = await openPage(browser);
  await page.clock.install();
  const seen = watch(page, { ...emu, refusalExpected: true });
  await signInOn(page, emu);
  await page.waitForSelector('#write-access');
  await page.click('#access .requires-scope .request-access');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#alert-comment-text:enabled');
  await page.fill('#alert-comment-id', 'da0000000000000000_1');
  await page.fill('#alert-comment-text', 'Escalating: same host as last week');
  // The token renews at 16 s, after the 10 s cap of the refresh token chain: refused.
  await advance(page, emu, 17);
  await page.waitForSelector('#session-ended');
  assert.match(await page.textContent('#session-ended'), /Your session ended — sign in again/);
  assert.match(await page.textContent('#session-ended'), /invalid_grant/);
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

test('an outage at the token endpoint delays renewal, says so, and does not end the session', async () => {
  const emu = await startEmulator(['--token-ttl', '20']);
  const page = await openPage(browser);
  await page.clock.install();
  const seen = watch(page, { ...emu, refusalExpected: true });
  await signInOn(page, emu);
  // The identity platform fails: first a 503 with an OAuth body, then no answer at all.
  const failures = [];
  await page.route(`${emu.authority}/**/oauth2/v2.0/token`, async (route) => {
    if (!(route.request().postData() ?? '').includes('grant_type=refresh_token')) return route.continue();
    if (failures.length === 0) {
      failures.push(503);
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'temporarily_unavailable', error_description: 'AADSTS90033: busy' }) });
    }
    failures.push('abort');
    return route.abort('connectionrefused');
  });
  await advance(page, emu, 17);
  await page.waitForSelector('#renewal-delayed');
  assert.match(await page.textContent('#renewal-delayed'), /Renewing your sign-in is delayed; Vigil keeps trying/);
  assert.match(await page.textContent('#renewal-delayed'), /503/);
  assert.equal(await page.$('#session-ended'), null, 'the session has not ended');
  // The first retry comes 2 s later, and fails without an answer.
  await page.clock.fastForward(2100);
  await waitFor(() => failures.length === 2, 'the first retry');
  await page.waitForSelector('#renewal-delayed:has-text("could not be reached")');
  assert.equal(await page.$('#session-ended'), null);
  // The identity platform is back: the next retry (4 s later) renews, and the notice goes.
  await page.unroute(`${emu.authority}/**/oauth2/v2.0/token`);
  await page.clock.fastForward(4100);
  await waitFor(() => seen.refreshes === 1, 'the renewal after the outage');
  await page.waitForSelector('#renewal-delayed', { state: 'detached' });
  assert.match(await checkConnection(page), /Connected to Microsoft Graph as Alex Analyst/);
  assert.equal(await page.$('#session-ended'), null);
  assertClean(seen);
});

test('a 401 from Graph drops the access token, renews once and retries', async () => {
  const emu = await startEmulator([]);
  const page = await openPage(browser);
  const seen = watch(page, emu);
  const graph = [];
  page.on('response', (r) => { if (r.url().startsWith(emu.graph + '/v1.0/')) graph.push(r.status()); });
  await signInOn(page, emu);
  assert.match(await checkConnection(page), /Connected/);
  assert.equal(seen.refreshes, 0);
  await control(emu, `revoke?tenant=${(await page.evaluate(() => sessionStorage.getItem('vigil.auth.active')))}&what=access`);
  assert.match(await checkConnection(page), /Connected to Microsoft Graph as Alex Analyst/, 'the call succeeded after renewing');
  assert.deepEqual(graph, [200, 401, 200], 'refused once, then retried with a renewed token');
  assert.equal(seen.refreshes, 1, 'renewed once');
  assert.equal(await page.$('#session-ended'), null);
  assertClean(seen);
});

test('a revoked session ends with a prompt to sign in again', async () => {
  const emu = await startEmulator([]);
  const page = await openPage(browser);
  const seen = watch(page, { ...emu, refusalExpected: true });
  await signInOn(page, emu);
  const tenant = await page.evaluate(() => sessionStorage.getItem('vigil.auth.active'));
  await control(emu, `revoke?tenant=${tenant}&what=session`);
  assert.match(await checkConnection(page), /session ended|sign in again/i);
  await page.waitForSelector('#session-ended');
  assert.match(await page.textContent('#session-ended'), /invalid_grant/);
  assert.equal(seen.refused, 1, 'one renewal was tried, and refused');
  await page.click('#sign-in-again');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  assert.match(await checkConnection(page), /Connected/);
  assertClean(seen);
});

test('a claims challenge (continuous access evaluation) leads to an interactive sign-in with those claims', async () => {
  const emu = await startEmulator([]);
  const page = await openPage(browser);
  const seen = watch(page, { ...emu, refusalExpected: true });
  const challenges = [];
  page.on('response', (r) => {
    const h = r.headers()['www-authenticate'];
    if (r.url().startsWith(emu.graph) && h) challenges.push(h);
  });
  await signInOn(page, emu);
  const tenant = await page.evaluate(() => sessionStorage.getItem('vigil.auth.active'));
  await control(emu, `revoke?tenant=${tenant}&what=claims`);
  await checkConnection(page);
  await page.waitForSelector('#session-ended');
  assert.match(await page.textContent('#session-ended'), /continuous access evaluation/);
  assert.equal(challenges.length, 1, 'Graph sent one claims challenge');
  assert.equal(seen.refreshes + seen.refused, 0, 'no silent renewal was tried: it cannot satisfy claims');
  const claims = Buffer.from(challenges[0].match(/claims="([^"]+)"/)[1], 'base64').toString();
  await page.click('#sign-in-again');
  await page.waitForSelector('button[name="user"]');
  assert.equal(new URL(seen.authorize.at(-1)).searchParams.get('claims'), claims, 'the sign-in asks for the claims');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name');
  assert.equal(await page.$('#session-ended'), null);
  assert.match(await checkConnection(page), /Connected to Microsoft Graph as Alex Analyst/);
  assertClean(seen);
});

test('a refresh token used twice revokes its chain, and the app asks to sign in again', async () => {
  const emu = await startEmulator(['--token-ttl', '20']);
  const page = await openPage(browser);
  await page.clock.install();
  const seen = watch(page, { ...emu, refusalExpected: true });
  await signInOn(page, emu);
  const stolen = await keptRefreshToken(page);
  await advance(page, emu, 17);
  await waitFor(() => seen.refreshes === 1, 'the first renewal');
  assert.notEqual(await keptRefreshToken(page), stolen, 'rotated');
  // Someone replays the rotated-out token.
  const tenant = await page.evaluate(() => sessionStorage.getItem('vigil.auth.active'));
  const replay = await fetch(`${emu.authority}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stolen, client_id: (await (await fetch(emu.app + '/config.json')).json()).clientId }),
  });
  assert.equal((await replay.json()).error, 'invalid_grant');
  // The app's current token belonged to that chain: its next renewal is refused.
  await advance(page, emu, 17);
  await page.waitForSelector('#session-ended');
  assert.match(await page.textContent('#session-ended'), /invalid_grant/);
  assert.equal(seen.refused, 1);
  assertClean(seen);
});
