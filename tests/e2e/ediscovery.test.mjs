// eDiscovery: the legal user asks for access, finds a case, starts an estimate and follows it
// to its counts, all inside Graph's five eDiscovery requests a minute, checked on the
// emulator's own request log; the analyst, who may read cases but not change them, is told so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { APP, GRAPH, launch, openPage, assertClean, screenshot, signIn, chooseIdentity, startEmulator, stopEmulators } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { stopEmulators(); await browser?.close(); });

/// Signs `role` in on `app`, opens the eDiscovery page and consents to `scope` from it.
async function withEdiscovery(page, role, app = APP, scope = 'eDiscovery.Read.All') {
  await signIn(page, role, '/ediscovery', app);
  await page.waitForSelector('#ediscovery-no-access');
  assert.match(await page.textContent('#ediscovery-no-access'), /eDiscovery\.Read\.All/);
  await page.click(`#ediscovery-no-access .request-access[data-scope="${scope}"]`);
  await chooseIdentity(page, role);
  await page.waitForSelector('#case-list tbody tr', { timeout: 30000 });
}

/// The most eDiscovery requests any tenant sent in one sliding minute, from the emulator's log.
async function busiestMinute(graph) {
  const { value } = await (await fetch(`${graph}/_emulator/requests?family=ediscovery`)).json();
  const byTenant = new Map();
  for (const r of value) byTenant.set(r.tenant, [...(byTenant.get(r.tenant) ?? []), r.timeMs]);
  let most = 0;
  for (const times of byTenant.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while (j < times.length && times[j] - times[i] < 60000) j += 1;
      most = Math.max(most, j - i);
    }
  }
  return { most, total: value.length, refused: value.filter((r) => r.status === 429).length };
}

test('an estimate climbs to 100 % and shows its counts, inside five requests a minute', { timeout: 240000 }, async () => {
  // Graph's real eDiscovery budget (5 a minute per tenant) and operations of 8 seconds.
  const emu = await startEmulator(['--operation-seconds', '8']);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  const all = await page.$$eval('#case-list tbody tr', (rows) => rows.length);
  assert.ok(all > 20, `a case load worth a report (${all} cases)`);
  // The status filter and the search narrow the list, and the URL keeps them.
  await page.selectOption('#case-status', 'closed');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('status') === 'closed');
  const closed = await page.$$eval('#case-list tbody tr td:nth-child(3)', (cells) => cells.map((c) => c.textContent));
  assert.ok(closed.length > 0 && closed.length < all, `some cases are closed (${closed.length} of ${all})`);
  assert.ok(closed.every((s) => s === 'closed'), `only closed cases are listed: ${closed}`);
  await page.selectOption('#case-status', '');
  const first = await page.$eval('#case-list tbody tr', (r) => ({
    name: r.querySelector('td a').textContent,
    external: r.querySelector('td:nth-child(2)').textContent,
  }));
  await page.fill('#case-search', first.external.toLowerCase());
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') !== null);
  const found = await page.$$eval('#case-list tbody tr td a', (as) => as.map((a) => a.textContent));
  assert.ok(found.includes(first.name), `searching its external id finds ${first.name}: ${found}`);
  assert.ok(found.length < all, 'and not every case');

  await page.click(`#case-list tbody tr td a:text-is("${first.name}")`);
  await page.waitForSelector('#case-title');
  assert.equal(await page.textContent('#case-title'), first.name);
  await page.waitForSelector('#searches tbody tr button', { timeout: 60000 });
  await page.waitForSelector('#operations tbody tr');
  const button = await page.$('#searches tbody tr button');
  assert.equal(await button.isDisabled(), false, 'the eDiscovery manager may run an estimate');
  const before = await page.$$eval('#operations tbody tr', (rows) => rows.map((r) => r.dataset.op));
  await button.click();
  // The new operation is in the table at once, not at 100 %.
  const op = await page.waitForFunction((known) => {
    const row = [...document.querySelectorAll('#operations tbody tr')].find((r) => !known.includes(r.dataset.op));
    return row && { id: row.dataset.op, value: Number(row.querySelector('progress').getAttribute('value')) };
  }, before, { timeout: 15000 }).then((h) => h.jsonValue());
  assert.ok(op.value < 100, `a new estimate starts below 100 % (${op.value})`);
  assert.match(await page.textContent(`#operations tr[data-op="${op.id}"] td:first-child`), /Estimate/);
  // The budget is spent, so the next read waits, and the page says for how long.
  await page.waitForFunction(() => /next refresh in \d+ s/.test(document.querySelector('.lane-next')?.textContent ?? ''), null, { timeout: 30000 });
  // Read again when the budget allows: succeeded at 100 %, with the estimate's counts.
  await page.waitForSelector(`#operations tr[data-op="${op.id}"][data-phase="succeeded"]`, { timeout: 150000 });
  const row = `#operations tr[data-op="${op.id}"]`;
  assert.equal(await page.getAttribute(`${row} progress`, 'value'), '100');
  assert.match(await page.textContent(`${row} td:last-child`), /^[\d,]+ items? \([\d.]+ (B|kB|MB|GB|TB)\)/);
  await screenshot(page, 'ediscovery-estimate');
  const log = await busiestMinute(emu.graph);
  assert.ok(log.total >= 6, `the page read and wrote (${log.total} eDiscovery requests)`);
  assert.ok(log.most <= 5, `never more than 5 eDiscovery requests in a minute (${log.most})`);
  assert.equal(log.refused, 0, 'and never refused');
  assertClean(page);
  await page.close();
});

test('the analyst reads a case and its failed operations, and is told why nothing can be changed', async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'analyst');
  await page.click('#case-list tbody tr td a');
  await page.waitForSelector('#operations tbody tr');
  // A failed operation says why, in the service's words.
  const failed = await page.$$eval('#operations tr[data-phase="failed"] td:last-child', (cells) => cells.map((c) => c.textContent));
  assert.ok(failed.length > 0, 'the first case has a failed operation');
  assert.ok(failed.every((t) => t.length > 10), `each failure has its reason: ${failed}`);
  // Running ones show where they are.
  const running = await page.$$eval('#operations tr[data-phase="running"] progress', (ps) => ps.map((p) => Number(p.getAttribute('value'))));
  assert.ok(running.every((v) => v >= 0 && v < 100), `running operations are under way: ${running}`);
  await page.waitForSelector('#searches tbody tr');
  assert.equal(await page.isDisabled('#case-close'), true, 'closing the case is disabled');
  assert.ok(await page.$$eval('#searches button, #custodians button', (bs) => bs.length > 0 && bs.every((b) => b.disabled)), 'every action is disabled');
  assert.match(await page.textContent('.requires-scope .needs-scope'), /eDiscovery\.ReadWrite\.All/);
  // Hold status as the service reports it.
  const holds = await page.$$eval('#custodians tbody td .badge', (bs) => bs.map((b) => b.textContent));
  assert.ok(holds.length > 0 && holds.every((h) => /^(applied|notApplied|applying|removing|partial|—)$/.test(h)), `hold statuses: ${holds}`);
  assertClean(page);
  await page.close();
});

test('closing a case and reopening it from the case page, each change in its turn', { timeout: 150000 }, async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', APP, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  await page.click('#case-list tbody tr:last-child td a');
  await page.waitForSelector('#case-close');
  const name = await page.textContent('#case-title');
  await page.click('#case-close');
  // The service's yes is shown at once: no read of the case list for it.
  await page.waitForSelector('#case-reopen', { timeout: 15000 });
  assert.equal(await page.textContent('#case-outcome p'), `${name} is closed.`);
  assert.match(await page.textContent('.case-head'), /Status\s*closed/);
  // Opening the case and closing it spent the minute's five requests: the reopen waits its
  // turn, and the page says so, then goes through.
  await page.click('#case-reopen');
  await page.waitForFunction(() => /your change/.test(document.querySelector('.lane-queue')?.textContent ?? ''));
  assert.match(await page.textContent('.lane-next'), /next refresh in \d+ s/);
  await page.waitForSelector('#case-close', { timeout: 90000 });
  assert.equal(await page.textContent('#case-outcome p'), `${name} is open again.`);
  // Both reached the service, and it has the case open again.
  const { value } = await (await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`)).json();
  const posts = value.filter((r) => r.method === 'POST').map((r) => `${r.path.split('?')[0].split('/').pop()} ${r.status}`);
  assert.deepEqual(posts.slice(-2), ['close 204', 'reopen 204']);
  assertClean(page);
  await page.close();
});
