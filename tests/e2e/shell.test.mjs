// The app shell: every route renders in the real built bundle under its strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { APP, launch, openPage, assertClean, screenshot } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The pages come from the app's own page table, as its navigation shows them: every sidebar
// link, and every tab of a section with tabs.
async function pagesOfTheApp(page) {
  await page.goto(APP + '/');
  await page.waitForSelector('nav.sidebar a');
  const paths = [];
  for (const href of await page.$$eval('nav.sidebar a', (as) => as.map((a) => a.getAttribute('href')))) {
    await page.goto(APP + href);
    await page.waitForSelector('main h1');
    const tabs = await page.$$eval('main nav.tabs a', (as) => as.map((a) => a.getAttribute('href')));
    paths.push(...(tabs.length ? tabs : [href]));
  }
  return paths;
}

test('every page renders by deep link with its title, with no console error or CSP violation', async () => {
  const page = await openPage(browser);
  const paths = await pagesOfTheApp(page);
  assert.ok(paths.length >= 10, `pages found: ${paths.join(' ')}`);
  for (const known of ['/', '/alerts', '/secure-score', '/threats/hunting', '/settings']) {
    assert.ok(paths.includes(known), `${known} is in the navigation`);
  }
  for (const path of paths) {
    await page.goto(APP + path);
    await page.waitForFunction(() => / · Vigil$/.test(document.title) && document.querySelector('main h1'));
    assert.equal(await page.$('#not-found-title'), null, `${path} is a page`);
    const title = (await page.title()).replace(/ · Vigil$/, '');
    const headings = await page.$$eval('main h1, main h2', (hs) => hs.map((h) => h.textContent.trim()));
    assert.ok(headings.includes(title), `${path}: the title "${title}" is one of its headings (${headings.join(', ')})`);
    assert.equal(new URL(page.url()).pathname, path, `${path} stays at its address`);
    assert.ok(await page.isVisible('nav.sidebar'), `navigation on ${path}`);
    await screenshot(page, path === '/' ? 'overview' : path.slice(1).replaceAll('/', '-'));
  }
  assertClean(page);
});

test('navigation is client-side and marks the current section', async () => {
  const page = await openPage(browser);
  await page.goto(APP + '/');
  await page.waitForSelector('#overview-title');
  await page.click('nav.sidebar a[href="/secure-score"]');
  await page.waitForSelector('#secure-score-title');
  assert.equal(new URL(page.url()).pathname, '/secure-score');
  assert.equal(await page.getAttribute('nav.sidebar a[href="/secure-score"]', 'aria-current'), 'page');
  await page.evaluate(() => { window.stillTheSamePage = true; });
  await page.click('nav.sidebar a[href="/threats"]');
  await page.waitForSelector('#submissions-title');
  assert.equal(new URL(page.url()).pathname, '/threats/submissions');
  assert.equal(await page.getAttribute('nav.sidebar a[href="/threats"]', 'aria-current'), 'page', 'a section is current on its tabs');
  await page.click('nav.tabs a[href="/threats/hunting"]');
  await page.waitForSelector('#hunting-title');
  assert.equal(await page.getAttribute('nav.tabs a[href="/threats/hunting"]', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('nav.tabs a[href="/threats/submissions"]', 'aria-current'), null);
  // Back and forward move between pages without loading the app again.
  await page.goBack();
  await page.waitForSelector('#submissions-title');
  await page.goBack();
  await page.waitForSelector('#secure-score-title');
  assert.equal(await page.getAttribute('nav.sidebar a[href="/secure-score"]', 'aria-current'), 'page');
  await page.goForward();
  await page.waitForSelector('#submissions-title');
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no page load on any of these moves');
  assertClean(page);
});

test('the app refuses to run inside a frame', async () => {
  const page = await openPage(browser);
  await page.setContent(`<iframe id="framed" src="${APP}/settings" width="900" height="600"></iframe>`);
  const frame = await (await page.waitForSelector('#framed')).contentFrame();
  await frame.waitForFunction(() => /does not run inside a frame/.test(document.body?.textContent ?? ''));
  assert.equal(await frame.$('nav.sidebar'), null, 'nothing of the app is built');
});

test('an unknown address shows the not-found page', async () => {
  const page = await openPage(browser);
  await page.goto(APP + '/no/such/page');
  await page.waitForSelector('#not-found-title');
  assert.match(await page.textContent('main'), /\/no\/such\/page/);
  assert.equal(await page.title(), 'Page not found · Vigil');
  await screenshot(page, 'not-found');
  assertClean(page);
});

test('the theme follows the system; the toggle (light, dark, high contrast) persists across a reload', async () => {
  const page = await openPage(browser, { colorScheme: 'dark' });
  await page.goto(APP + '/settings');
  await page.waitForSelector('#settings-title');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), 'rgb(15, 20, 27)', 'dark by the system preference');
  await page.click('#theme-toggle'); // system -> light
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await background(), 'rgb(247, 248, 250)');
  await page.reload();
  await page.waitForSelector('#settings-title');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light', 'kept after reload');
  await screenshot(page, 'settings-light');
  await page.click('#theme-toggle'); // light -> dark
  assert.equal(await background(), 'rgb(15, 20, 27)');
  await page.click('#theme-toggle'); // dark -> high contrast
  assert.equal(await page.getAttribute('html', 'data-theme'), 'contrast');
  assert.equal(await background(), 'rgb(0, 0, 0)');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(255, 255, 255)');
  await screenshot(page, 'settings-contrast');
  assertClean(page);
});

test('the time zone setting changes how dates are shown', async () => {
  const page = await openPage(browser);
  await page.goto(APP + '/settings');
  await page.waitForSelector('#settings-title ~ section time');
  await page.selectOption('#time-zone-select', 'utc');
  assert.match(await page.textContent('#settings-title ~ section time'), /UTC$/);
  await page.reload();
  await page.waitForSelector('#settings-title ~ section time');
  assert.match(await page.textContent('#settings-title ~ section time'), /UTC$/, 'kept after reload');
  assert.equal(await page.textContent('#time-zone-toggle'), 'Times: UTC');
  assertClean(page);
});

test('the page runs under a strict Content-Security-Policy', async () => {
  const page = await openPage(browser);
  await page.goto(APP + '/');
  await page.waitForSelector('#overview-title');
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.ok(policy, 'a CSP meta tag');
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(policy, /default-src 'none'/);
  // Proof that the policy is enforced: an injected inline script must not run.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    return window.__injected === true;
  });
  assert.equal(ran, false, 'inline script blocked');
  // That attempt is the one CSP violation we expect; nothing else may have complained.
  // (Chromium words it either "Refused to execute inline script" or "Executing inline script violates".)
  const others = page.problems.filter((p) => !/Refused to execute inline script|Executing inline script violates/.test(p));
  assert.deepEqual(others, []);
});

test('a malformed or missing config.json gives a setup page, not a blank one', async () => {
  for (const [status, body, expected] of [
    [200, '{ "authority": ', /not valid JSON/],
    [404, 'not found', /HTTP 404/],
    [200, '{"authority":"x","tenants":[],"clientId":"","redirectUri":"y","graphBaseUrl":"z"}', /has problems/],
  ]) {
    const page = await openPage(browser);
    await page.route('**/config.json', (route) => route.fulfill({ status, body, contentType: 'application/json' }));
    await page.goto(APP + '/alerts');
    await page.waitForSelector('#setup');
    assert.match(await page.textContent('#setup'), expected);
    if (status === 404) await screenshot(page, 'setup');
    // The 404 itself is reported by the browser as a failed resource; nothing else may be.
    assert.deepEqual(page.problems.filter((p) => !p.includes('404')), []);
    await page.close();
  }
});
