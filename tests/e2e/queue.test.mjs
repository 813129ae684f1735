// The queue's power tools: columns, grouping, pivots from a value, similar alerts, saved views;
// incident bulk actions; a write that fails; a bulk assignment under tight throttling; live
// refresh. The last two run against extra emulators started with the options they need.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  ALL, APP, launch, openPage, assertClean, screenshot, chooseIdentity, signIn, analystWith, waitForRows,
  queueCount,
  startEmulator, stopEmulators,
} from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  stopEmulators();
});

const headers = (page) => page.$$eval('.qhead .colhead', (els) => els.map((e) => e.dataset.col));

/// Waits for the queue to have finished a load started after `before` loads.
async function loaded(page, before) {
  await page.waitForFunction((b) => {
    const q = document.querySelector('.queue');
    return q && Number(q.dataset.loads) > b && q.dataset.state === 'done';
  }, before, { timeout: 60000 });
}

test('the column chooser hides, adds and reorders columns; the link keeps them', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', `/alerts?${ALL}`);
  await waitForRows(page);
  assert.deepEqual(await headers(page), ['severity', 'title', 'status', 'provider', 'category', 'assigned', 'created']);
  await page.click('#column-chooser summary');
  await page.click('.column-list li[data-col="category"] input[type="checkbox"]');
  await page.click('.column-hidden li[data-col="detection"] input[type="checkbox"]');
  await page.click('.column-list li[data-col="detection"] .move-up');
  assert.deepEqual(await headers(page), ['severity', 'title', 'status', 'provider', 'assigned', 'detection', 'created']);
  assert.match(page.url(), /cols=severity%2Ctitle%2Cstatus%2Cprovider%2Cassigned%2Cdetection%2Ccreated|cols=severity,title,status,provider,assigned,detection,created/);
  const cells = await page.$$eval('.queue-body .qrow[data-pos="0"] .qcell', (els) => els.map((e) => e.className));
  assert.ok(cells.some((c) => c.includes('col-detection')), 'rows follow the chosen columns');
  await page.reload();
  await waitForRows(page);
  assert.deepEqual(await headers(page), ['severity', 'title', 'status', 'provider', 'assigned', 'detection', 'created']);
  await page.click('#column-chooser summary');
  await page.click('#columns-reset');
  assert.deepEqual(await headers(page), ['severity', 'title', 'status', 'provider', 'category', 'assigned', 'created']);
  assertClean(page);
});

test('grouping by provider puts each provider under a header with its count; a group selects at once', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', `/alerts?${ALL}`);
  await waitForRows(page);
  const total = await queueCount(page);
  await page.selectOption('#group-by', 'provider');
  await page.waitForSelector('.queue-body .qgroup');
  assert.match(page.url(), /group=provider/);
  const first = await page.$eval('.queue-body .qgroup', (g) => ({
    label: g.querySelector('.group-label').textContent,
    count: Number(g.querySelector('.group-count').textContent.replace(/[^0-9]/g, '')),
    top: g.style.transform,
  }));
  assert.equal(first.top, 'translateY(0px)', 'the first line is a group header');
  assert.ok(first.count > 0 && first.count <= total, `group of ${first.count} within ${total}`);
  // The rows under the first header all belong to it.
  const providers = await page.$$eval('.queue-body .qrow[data-pos] .col-provider', (els) => els.map((e) => e.textContent));
  const shown = Math.min(first.count, providers.length);
  assert.ok(shown > 0);
  for (const p of providers.slice(0, shown)) assert.equal(p, first.label);
  // Still the same alerts, only arranged.
  assert.equal(await queueCount(page), total);
  // A group's alerts can be selected together, for a bulk action on the group.
  await page.click('.queue-body .qgroup .group-select');
  assert.equal(Number((await page.textContent('#bulk-count')).replace(/[^0-9]/g, '')), first.count);
  await page.reload();
  await page.waitForSelector('.queue-body .qgroup');
  await screenshot(page, 'queue-grouped');
  assertClean(page);
});

test('a value in the alert pivots the queue: only this provider, exclude a status, search a category', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', `/alerts?${ALL}`);
  await waitForRows(page);
  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#detail-title');
  // Right-click opens the menu, as a context menu would.
  const provider = page.locator('#alert-detail .detail-badges .pivot');
  await provider.locator('summary').click({ button: 'right' });
  assert.equal(await provider.getAttribute('open'), '');
  const label = (await provider.locator('summary').textContent()).trim();
  let loads = Number(await page.getAttribute('.queue', 'data-loads'));
  await provider.locator('button[data-action="only"]').click();
  await loaded(page, loads);
  assert.match(page.url(), /service=/);
  assert.ok(!page.url().includes('alert='), 'the pivot closes the alert');
  const providers = await page.$$eval('.queue-body .qrow .col-provider', (els) => els.map((e) => e.textContent));
  assert.ok(providers.length > 0);
  for (const p of providers) assert.equal(p, label);

  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#detail-title');
  const status = page.locator('#alert-detail dl.fields dt:text-is("Status") + dd .pivot');
  const statusText = (await status.locator('summary').textContent()).trim();
  await status.locator('summary').click();
  loads = Number(await page.getAttribute('.queue', 'data-loads'));
  await status.locator('button[data-action="exclude"]').click();
  await loaded(page, loads);
  const statuses = await page.$$eval('.queue-body .qrow .col-status', (els) => els.map((e) => e.textContent));
  assert.ok(statuses.length > 0);
  assert.ok(statuses.every((s) => s !== statusText), `no ${statusText} rows left`);

  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#detail-title');
  const category = page.locator('#alert-detail dl.fields dt:text-is("Category") + dd .pivot');
  const categoryText = (await category.locator('summary').textContent()).trim();
  await category.locator('summary').click();
  await category.locator('button[data-action="search"]').click();
  await page.waitForFunction((c) => new URL(location.href).searchParams.get('q') === c, categoryText);
  assertClean(page);
});

test('similar alerts list other alerts with the same title and open them', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', `/alerts?${ALL}`);
  await waitForRows(page);
  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#detail-similar');
  const title = (await page.textContent('#detail-title')).trim();
  await page.waitForSelector('#similar-title li');
  const other = await page.getAttribute('#similar-title li a', 'href');
  const otherId = await page.getAttribute('#similar-title li', 'data-id');
  assert.match(other, /alert=/);
  await page.click('#similar-title li a');
  await page.waitForSelector(`#alert-detail[data-id="${otherId}"] #detail-title`);
  assert.equal((await page.textContent('#detail-title')).trim(), title);
  await page.click('#similar-all');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('q'));
  await waitForRows(page);
  const titles = await page.$$eval('.queue-body .qrow .col-title', (els) => els.map((e) => e.textContent));
  assert.ok(titles.filter((t) => t === title).length >= 2, 'the link lists every alert with this title');
  assertClean(page);
});

test('saved views: save the current view, export, delete and import them as JSON', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/alerts?severity=high&status=&range=30d');
  await waitForRows(page);
  const query = new URL(page.url()).search;
  await page.click('#views-menu summary');
  await page.fill('#view-name', 'High, last 30 days');
  await page.click('#save-view button[type="submit"]');
  await page.waitForSelector('#my-views li:has-text("High, last 30 days")');
  const stored = await page.evaluate(() => localStorage.getItem('vigil.views'));
  assert.match(stored, /High, last 30 days/);
  const download = page.waitForEvent('download');
  await page.click('#export-views');
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.views.length, 1);
  assert.equal(exported.views[0].name, 'High, last 30 days');
  await page.click('#my-views .delete-view');
  await page.waitForFunction(() => document.querySelectorAll('#my-views li').length === 0);
  await page.setInputFiles('#import-views', file);
  await page.waitForSelector('#views-status:has-text("Imported 1 view")');
  // Choosing the imported view from anywhere restores it.
  await page.goto(`${APP}/alerts`);
  await waitForRows(page);
  await page.selectOption('#saved-views', { label: 'High, last 30 days' });
  await page.waitForFunction((q) => {
    const sorted = (s) => [...new URLSearchParams(s)].map(([k, v]) => `${k}=${v}`).sort().join('&');
    return sorted(location.search) === sorted(q);
  }, query);
  // A file that is not a views file is refused with a reason, and nothing is lost.
  await page.click('#views-menu summary');
  await page.setInputFiles('#import-views', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"views": 3') });
  await page.waitForSelector('#views-status:has-text("Nothing imported")');
  assert.equal(await page.locator('#my-views li').count(), 1);
  assertClean(page);
});

test('incident bulk: assign selected incidents to me, confirmed per incident', async () => {
  const page = await openPage(browser);
  await analystWith(page, ['SecurityIncident.ReadWrite.All'], '/incidents?assigned=%40none');
  await page.waitForSelector('#incident-table tbody tr');
  const ids = await page.$$eval('#incident-table tbody tr', (rows) => rows.slice(0, 3).map((r) => r.dataset.id));
  assert.equal(ids.length, 3);
  for (const id of ids) await page.click(`#incident-table tr[data-id="${id}"] .incident-check`);
  assert.match(await page.textContent('#incident-bulk-count'), /3 selected/);
  // Resolving without a comment is refused.
  await page.selectOption('#incident-bulk-action', 'resolve');
  await page.click('#incident-bulk-apply');
  await page.waitForSelector('#incident-bulk-bar .error:has-text("asks for a comment")');
  await page.selectOption('#incident-bulk-action', 'assign');
  await page.click('#incident-bulk-apply');
  await page.waitForSelector('#incident-bulk-progress[data-done="true"]', { timeout: 30000 });
  assert.equal((await page.textContent('#incident-bulk-progress')).trim(), '3 of 3 done');
  await page.goto(`${APP}/incidents?assigned=%40me&status=`);
  await page.waitForSelector('#incident-table tbody tr');
  const mine = await page.$$eval('#incident-table tbody tr', (rows) => rows.map((r) => r.dataset.id));
  for (const id of ids) assert.ok(mine.includes(id), `incident ${id} is assigned to me`);
  assertClean(page);
});

test('two signed-in tenants share one queue, and the tenant filter narrows it', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/settings');
  await page.selectOption('#add-tenant', { label: 'Fabrikam (demo)' });
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#tenant-switcher');
  await page.goto(`${APP}/alerts?${ALL}&cols=severity,title,tenant`);
  await waitForRows(page);
  const both = await queueCount(page);
  const tenantsShown = async () => new Set(await page.$$eval('.queue-body .qrow .col-tenant', (els) => els.map((e) => e.textContent)));
  const options = await page.$$eval('#filter-tenant option', (els) => els.map((e) => e.value).filter(Boolean));
  assert.equal(options.length, 2, 'one choice per signed-in tenant');
  const requests = (await page.textContent('#queue-request')).split('\n');
  assert.equal(requests.length, 2, 'one listing per tenant');
  await page.selectOption('#filter-tenant', options[1]);
  await page.waitForFunction((n) => Number(document.querySelector('#queue-count').textContent.replace(/[^0-9]/g, '')) < n, both);
  assert.deepEqual([...await tenantsShown()], [options[1]]);
  const one = await queueCount(page);
  await page.selectOption('#filter-tenant', options[0]);
  await page.waitForFunction((n) => Number(document.querySelector('#queue-count').textContent.replace(/[^0-9]/g, '')) !== n, one);
  assert.equal(await queueCount(page), both - one, 'the two tenants make up the whole queue');
  // An alert of either tenant opens with its own tenant's data.
  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#detail-title');
  assertClean(page);
});

test('incident filters: severity and time narrow the list, and the link keeps them', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/incidents?status=&days=all');
  await page.waitForSelector('#incident-table tbody tr');
  const all = await page.locator('#incident-table tbody tr').count();
  await page.selectOption('#incident-severity', 'high');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'high');
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('#incident-table tbody tr')];
    return rows.length > 0 && rows.length < n && rows.every((r) => r.querySelector('.sev-high'));
  }, all);
  await page.selectOption('#incident-days', '7');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('days') === '7');
  await page.reload();
  await page.waitForSelector('#incident-table');
  assert.equal(await page.inputValue('#incident-severity'), 'high');
  assert.equal(await page.inputValue('#incident-days'), '7');
  assertClean(page);
});

test('a write that fails shows the error, rolls the row back and keeps the edit', async () => {
  const page = await openPage(browser);
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], `/alerts?${ALL}&status=new`);
  await waitForRows(page);
  await page.click('.queue-body .qrow[data-pos="0"]');
  await page.waitForSelector('#triage');
  const id = await page.getAttribute('#alert-detail', 'data-id');
  // The service refuses every PATCH of this alert.
  const refuse = (route) => (route.request().method() === 'PATCH'
    ? route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'BadRequest', message: 'Refused by the test.' } }),
    })
    : route.continue());
  await page.route(`**/security/alerts_v2/${id}`, refuse);
  await page.selectOption('#triage-status', 'resolved');
  await page.fill('#triage-comment', 'Benign admin script, confirmed with the owner.');
  await page.click('#triage-save');
  await page.waitForSelector('#triage-error');
  assert.match(await page.textContent('#triage-error'), /rolled back/);
  assert.match(await page.textContent('#triage-error'), /Refused by the test/);
  // The edit is still there, and the row shows what the service has.
  assert.equal(await page.inputValue('#triage-status'), 'resolved');
  assert.equal(await page.inputValue('#triage-comment'), 'Benign admin script, confirmed with the owner.');
  assert.equal((await page.textContent(`.qrow[data-id="${id}"] .col-status`)).trim(), 'New');
  // Once the service accepts, the same edit goes through.
  await page.unroute(`**/security/alerts_v2/${id}`, refuse);
  await page.click('#triage-save');
  await page.waitForSelector('#triage-saved');
  // The pane reads the alert again: the service has it resolved (and the row, no longer New,
  // leaves this view).
  await page.waitForFunction(() => document.querySelector('#detail-status')?.textContent.trim() === 'Resolved');
  await page.waitForSelector(`.qrow[data-id="${id}"]`, { state: 'detached' });
  // Chromium logs the refused request itself as a console error.
  page.problems = page.problems.filter((p) => !p.includes('status of 400'));
  assertClean(page);
});

test('a bulk assign of 50 alerts under tight throttling completes with all 50 confirmed', { timeout: 240000 }, async () => {
  // 10 alert requests a second: the 50 PATCHes (20 per $batch, each counting) must wait.
  const emu = await startEmulator(['--budget', 'alerts=10/1s']);
  const page = await openPage(browser);
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], `/alerts?${ALL}&assigned=%40me`, emu.app);
  await page.waitForSelector('.queue[data-state="done"]', { timeout: 60000 });
  const mineBefore = await queueCount(page);
  await page.goto(`${emu.app}/alerts?${ALL}&assigned=%40none`);
  await waitForRows(page);
  for (let k = 0; k < 50; k += 1) {
    await page.keyboard.press('x');
    await page.keyboard.press('j');
  }
  assert.match(await page.textContent('#bulk-count'), /50 selected/);
  await page.selectOption('#bulk-action', 'assign');
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-progress[data-done="true"]', { timeout: 180000 });
  assert.equal((await page.textContent('#bulk-progress')).trim(), '50 of 50 done');
  assert.equal(await page.locator('#bulk-failures li').count(), 0);
  await page.goto(`${emu.app}/alerts?${ALL}&assigned=%40me`);
  await page.waitForSelector('.queue[data-state="done"]', { timeout: 60000 });
  assert.equal(await queueCount(page), mineBefore + 50);
  // Throttled requests are retried, not reported as failures to the user.
  page.problems = page.problems.filter((p) => !p.includes('429'));
  assertClean(page);
});

test('live refresh fetches what changed: a banner counts new alerts, the open alert and scroll stay', { timeout: 120000 }, async () => {
  const emu = await startEmulator([]);
  const page = await openPage(browser);
  await signIn(page, 'analyst', `/alerts?${ALL}`, emu.app);
  await waitForRows(page);
  const before = await queueCount(page);
  await page.click('.queue-body .qrow[data-pos="2"]');
  await page.waitForSelector('#detail-title');
  const open = await page.getAttribute('#alert-detail', 'data-id');
  await page.$eval('#queue-scroll', (el) => { el.scrollTop = 340; });
  // Three new alerts arrive now (the test drives the emulator's live feed, no waiting).
  const added = await fetch(`${emu.graph}/_emulator/live?alerts=3`, { method: 'POST' });
  assert.equal(added.status, 204);
  const loads = await page.getAttribute('.queue', 'data-loads');
  await page.click('#refresh-now');
  await page.waitForSelector('#new-alerts', { timeout: 30000 });
  const banner = (await page.textContent('#new-alerts')).trim();
  const n = Number(banner.replace(/[^0-9]/g, ''));
  assert.equal(n, 3, `the three new alerts arrived (${banner})`);
  assert.equal(await queueCount(page), before + n, 'merged into the queue');
  assert.equal(await page.getAttribute('.queue', 'data-loads'), loads, 'no full reload');
  assert.equal(await page.getAttribute('#alert-detail', 'data-id'), open, 'the open alert stays open');
  assert.equal(await page.$eval('#queue-scroll', (el) => el.scrollTop), 340, 'the scroll position stays');
  // The interval setting is offered as the issue asks: off, 1, 5, 15 minutes.
  const options = await page.$$eval('#live-refresh option', (els) => els.map((e) => e.value));
  assert.deepEqual(options, ['0', '1', '5', '15']);
  await page.click('#new-alerts');
  assert.equal(await page.$eval('#queue-scroll', (el) => el.scrollTop), 0, 'the banner takes you to the top');
  assertClean(page);
});
