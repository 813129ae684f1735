// eDiscovery: the legal user asks for access, finds a case, starts an estimate and follows it
// to its counts, all inside Graph's five eDiscovery requests a minute, checked on the
// emulator's own request log; the analyst, who may read cases but not change them, is told so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
    id: r.dataset.case,
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
  await page.waitForSelector('#case-custodians :is(#custodians tbody tr, p.muted:text-is("No custodians in this case."))', { timeout: 60000 });
  const custodians = await page.$$eval('#custodians tbody tr', (rows) => rows.length);
  // Back on the case list, the case's running operations include the estimate, with its bar,
  // and its custodians, read with the case, are counted.
  await page.goBack();
  const counted = `#case-list tbody tr[data-case="${first.id}"] td.case-custodians`;
  await page.waitForSelector(counted);
  assert.equal(await page.textContent(counted), String(custodians), 'the custodians read with the case are counted');
  assert.equal(await page.textContent('#case-list thead th:nth-child(7)'), 'Custodians');
  const cell = `#case-list tbody tr[data-case="${first.id}"] td:nth-child(8)`;
  await page.waitForSelector(cell);
  const running = await page.$eval(cell, (td) => ({
    text: td.textContent,
    bars: [...td.querySelectorAll('progress')].map((p) => Number(p.getAttribute('value'))),
  }));
  assert.match(running.text, /Estimate/, `the list shows the estimate running: ${running.text}`);
  assert.ok(running.bars.some((v) => v < 100), `with a bar below 100 %: ${running.bars}`);
  await page.goForward();
  await page.waitForSelector('#operations tbody tr');
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
  assert.equal(await page.$('#new-case'), null, 'no new case form without eDiscovery write');
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
  assert.ok(await page.$$eval('#searches button, #custodians button[id^="hold-"]', (bs) => bs.length > 0 && bs.every((b) => b.disabled)), 'every action is disabled');
  assert.ok(await page.$$eval('#custodians .show-sources', (bs) => bs.length > 0 && bs.every((b) => !b.disabled)), 'reading a custodian\'s sources is not a change');
  assert.match(await page.textContent('.requires-scope .needs-scope'), /eDiscovery\.ReadWrite\.All/);
  assert.deepEqual(await page.$$('#add-custodians, #new-search'), [], 'no forms to add to the case');
  // Hold status as the service reports it.
  const holds = await page.$$eval('#custodians tbody td .badge', (bs) => bs.map((b) => b.textContent));
  assert.ok(holds.length > 0 && holds.every((h) => /^(applied|notApplied|applying|removing|partial|—)$/.test(h)), `hold statuses: ${holds}`);
  assertClean(page);
  await page.close();
});

test('legal holds are read from Graph beta only when opened, and a hold in error says why', { timeout: 150000 }, async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'analyst');
  // The demo tenant's second case has a hold policy the service could not apply.
  const name = 'HR investigation: payroll portal phishing';
  const id = await page.getAttribute(`#case-list tbody tr:has(td a:text-is("${name}"))`, 'data-case');
  await page.click(`#case-list tbody tr td a:text-is("${name}")`);
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  const holdReads = async () => {
    const { value } = await (await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.path.includes(`/ediscoveryCases/${id}/legalHolds`)).map((r) => `${r.version} ${r.path.split('?')[0]}`);
  };
  assert.deepEqual(await holdReads(), [], 'not read before the section is opened');
  await page.click('#case-holds summary');
  await page.waitForSelector('#legal-holds tbody tr', { timeout: 90000 });
  assert.match(await page.textContent('#case-holds'), /beta API, which Microsoft may change/);
  const rows = await page.$$eval('#legal-holds tbody tr', (rs) => rs.map((r) => ({
    status: r.dataset.status,
    badge: r.querySelector('.badge').textContent,
    problems: r.querySelector('td:last-child'),
  })).map((r) => ({ ...r, problems: r.problems.textContent, error: r.problems.classList.contains('error') })));
  assert.ok(rows.every((r) => ['pending', 'success', 'error'].includes(r.status) && r.badge === r.status), JSON.stringify(rows));
  const failed = rows.find((r) => r.status === 'error');
  assert.ok(failed, `a hold in error: ${JSON.stringify(rows)}`);
  assert.match(failed.problems, /could not be found/);
  assert.ok(failed.error, 'its problems are shown as an error');
  assert.ok(rows.filter((r) => r.status !== 'error').every((r) => r.problems === ''), 'the others have none');
  assert.deepEqual(await holdReads(), [`beta /security/cases/ediscoveryCases/${id}/legalHolds`], 'one read, from beta');
  assert.equal(await page.$('#new-hold'), null, 'no new hold form without eDiscovery write');
  assertClean(page);
  await page.close();
});

test('a case\'s tags (as a tree) and non-custodial sources are read when opened, and the analyst\'s review sets offer no changes', { timeout: 150000 }, async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'analyst');
  const id = await page.getAttribute('#case-list tbody tr', 'data-case');
  await page.click(`#case-list tbody tr[data-case="${id}"] td a`);
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  const tagReads = async () => {
    const { value } = await (await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.path.includes(`/ediscoveryCases/${id}/tags`)).map((r) => r.path.split('?')[0].split('/').pop());
  };
  assert.deepEqual(await tagReads(), [], 'not read before the section is opened');
  await page.click('#case-tags summary');
  await page.waitForSelector('#tag-tree li', { timeout: 90000 });
  assert.deepEqual(await tagReads(), ['microsoft.graph.security.asHierarchy()'], 'one read, as a hierarchy');
  // The seeded tags: three at the top, two of them under "Privileged".
  const top = await page.$$eval('#tag-tree > li', (lis) => lis.map((li) => li.firstChild.textContent));
  assert.deepEqual(top.sort(), ['Not responsive', 'Privileged', 'Responsive']);
  const under = await page.$$eval('#tag-tree > li:has(> .tag-tree) > .tag-tree > li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(under.sort(), ['External', 'Processing']);
  // Non-custodial sources, with their data source expanded: a site by its address.
  await page.click('#case-sources summary');
  await page.waitForSelector('#noncustodial-sources tbody tr', { timeout: 90000 });
  const sources = await page.$$eval('#noncustodial-sources tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const sales = sources.find((r) => r[0] === 'Sales and Marketing');
  assert.ok(sales, `the seeded site source is listed: ${JSON.stringify(sources)}`);
  assert.match(sales[1], /^https:\/\//, 'with its site address');
  assert.equal(sales[3], 'applied');
  // Review sets: listed, but nothing to change without eDiscovery write.
  await page.click('#case-review-sets summary');
  await page.waitForSelector('#review-sets tbody tr', { timeout: 90000 });
  assert.ok(await page.$$eval('#review-sets button[id^="export-set-"]', (bs) => bs.length > 0 && bs.every((b) => b.disabled)), 'export is disabled');
  assert.equal(await page.$('#add-to-review-set'), null, 'no form to add to a review set');
  // A review set's saved queries are a read: read when asked for, one review set at a time.
  const set = await page.getAttribute('#review-sets tbody tr', 'data-review-set');
  const queryReads = async () => {
    const { value } = await (await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.path.includes('/queries')).map((r) => r.path.split('?')[0]);
  };
  assert.deepEqual(await queryReads(), [], 'queries are not read before they are asked for');
  await page.click(`#review-sets tr[data-review-set="${set}"] .show-queries`);
  await page.waitForSelector('#review-set-queries #queries tbody tr', { timeout: 90000 });
  assert.deepEqual(await queryReads(), [`/security/cases/ediscoveryCases/${id}/reviewSets/${set}/queries`]);
  const queries = await page.$$eval('#queries tbody tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]));
  assert.deepEqual(queries.map((q) => q[0]).sort(), ['Hot documents', '[AutoGen] For Review'].sort());
  assert.ok(queries.every((q) => /^\(\(.+\)\)$/.test(q[1])), `each with its KQL: ${JSON.stringify(queries)}`);
  const setName = await page.textContent(`#review-sets tr[data-review-set="${set}"] td:first-child`);
  assert.equal(await page.textContent('#review-set-queries h3'), `Queries of \u201c${setName}\u201d`);
  assertClean(page);
  await page.close();
});

test('a new legal hold is checked, created on beta in its turn, and followed from pending to success', { timeout: 300000 }, async () => {
  // An emulator of its own, where a hold policy is in force 30 s after a write (twice as fast).
  const emu = await startEmulator(['--operation-speed', '2']);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  await page.click('#case-list tbody tr td a');
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  await page.click('#case-holds summary');
  await page.waitForSelector('#case-holds :is(#legal-holds tbody tr, p.muted:text-is("No legal holds in this case."))', { timeout: 90000 });
  const writes = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method !== 'GET').map((r) => `${r.version} ${r.method} ${r.path.split('?')[0].split('/').pop()} ${r.status}`);
  };
  const mailbox = (await page.$$eval('#custodians tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent))).find((e) => e.includes('@'));
  const name = `E2E hold ${Date.now()}`;
  await page.click('#new-hold summary');
  // Nothing to hold, then a site that is not https: refused here, and kept.
  await page.fill('#new-hold-name', name);
  await page.fill('#new-hold-query', 'subject:"board minutes"');
  await page.click('#new-hold-go');
  await page.waitForSelector('#new-hold-said.error');
  assert.match(await page.textContent('#new-hold-said'), /at least one mailbox or site/);
  await page.fill('#new-hold-sites', 'http://contoso.example/sites/legal');
  await page.click('#new-hold-go');
  await page.waitForFunction(() => /not a site address/.test(document.querySelector('#new-hold-said')?.textContent));
  assert.equal(await page.inputValue('#new-hold-name'), name, 'what was typed is kept');
  assert.deepEqual(await writes(), [], 'nothing was sent');
  // A custodian's mailbox: created on beta, listed as pending, then in force.
  await page.fill('#new-hold-sites', '');
  await page.fill('#new-hold-mailboxes', mailbox);
  await page.click('#new-hold-go');
  await page.waitForSelector('#new-hold-said.ok', { timeout: 120000 });
  assert.equal(await page.textContent('#new-hold-said'), `Hold \u201c${name}\u201d created: pending until Purview puts it in force.`);
  assert.equal(await page.inputValue('#new-hold-name'), '', 'emptied once created');
  assert.deepEqual(await writes(), ['beta POST legalHolds 201']);
  const row = `#legal-holds tbody tr:has(td:text-is("${name}"))`;
  await page.waitForSelector(`${row}[data-status="pending"]`, { timeout: 90000 });
  assert.equal(await page.textContent(`${row} code`), 'subject:"board minutes"');
  await page.waitForSelector(`${row}[data-status="success"]`, { timeout: 150000 });
  assert.equal(await page.textContent(`${row} .badge`), 'success');
  const { most } = await busiestMinute(emu.graph);
  assert.ok(most <= 5, `at most five eDiscovery requests in any minute (${most})`);
  assertClean(page);
  await page.close();
});

test('a new review set is checked and created, a search\'s results go into it, and it is exported to a download link, each in its turn', { timeout: 420000 }, async () => {
  // An emulator of its own (operations of 8 seconds), as the writes spend budget minutes.
  const emu = await startEmulator(['--operation-seconds', '8']);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  const id = await page.getAttribute('#case-list tbody tr', 'data-case');
  await page.click(`#case-list tbody tr[data-case="${id}"] td a`);
  await page.waitForSelector('#searches tbody tr', { timeout: 60000 });
  const reads = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method === 'GET' && r.path.includes('/reviewSets')).length;
  };
  assert.equal(await reads(), 0, 'review sets are not read until the section is opened');
  await page.click('#case-review-sets summary');
  await page.waitForSelector('#review-sets tbody tr', { timeout: 90000 });
  assert.equal(await reads(), 1);
  const writes = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0].split('/').pop()} ${r.status}`);
  };
  const setName = await page.textContent('#review-sets tbody tr td:first-child');
  assert.ok(setName.length > 0);
  // A new review set: a name the case has already (in other letter case) is refused here.
  await page.click('#new-review-set summary');
  await page.fill('#new-review-set-name', setName.toUpperCase());
  await page.click('#new-review-set-go');
  await page.waitForSelector('#new-review-set-said.error');
  assert.equal(await page.textContent('#new-review-set-said'), `This case already has a review set named \u201c${setName.toUpperCase()}\u201d.`);
  assert.deepEqual(await writes(), [], 'nothing was sent');
  const newName = `E2E review set ${Date.now()}`;
  await page.fill('#new-review-set-name', newName);
  await page.click('#new-review-set-go');
  await page.waitForSelector('#new-review-set-said.ok', { timeout: 120000 });
  assert.equal(await page.textContent('#new-review-set-said'), `Review set \u201c${newName}\u201d created.`);
  const created = await page.waitForSelector(`#review-sets tbody tr:has(td:first-child:text-is("${newName}"))`, { timeout: 90000 });
  const set = await created.getAttribute('data-review-set');
  assert.ok(set.length > 0);
  // A new operation of the case, from the ones listed before `start`, followed to its end.
  const followed = async (start, label) => {
    const listed = await page.$$eval('#operations tbody tr', (rows) => rows.map((r) => r.dataset.op));
    await start();
    const op = await page.waitForFunction((ids) => [...document.querySelectorAll('#operations tbody tr')]
      .find((r) => !ids.includes(r.dataset.op))?.dataset.op, listed, { timeout: 150000 }).then((h) => h.jsonValue());
    const row = `#operations tr[data-op="${op}"]`;
    assert.equal(await page.textContent(`${row} td:first-child`), label);
    await page.waitForSelector(`${row}[data-phase="succeeded"]`, { timeout: 180000 });
    return row;
  };
  // The first search's results, into the set: both chosen from what the case has.
  const search = await page.getAttribute('#searches tbody tr', 'data-search');
  const searchName = await page.textContent('#searches tbody tr td:first-child');
  await page.click('#add-to-review-set summary');
  assert.deepEqual(await page.$$eval('#add-to-review-set-set option', (os) => os.map((o) => o.value)),
    await page.$$eval('#review-sets tbody tr', (rows) => rows.map((r) => r.dataset.reviewSet)), 'the case\'s review sets to choose from');
  await page.selectOption('#add-to-review-set-search', search);
  await page.selectOption('#add-to-review-set-set', set);
  await followed(async () => {
    await page.click('#add-to-review-set-go');
    await page.waitForSelector('#add-to-review-set-said.ok', { timeout: 120000 });
    assert.equal(await page.textContent('#add-to-review-set-said'), `Add to review set of \u201c${searchName}\u201d started: it is followed under Operations.`);
  }, 'Add to review set');
  // Exported with its files and tags: the file offered as an https link.
  const op = await followed(() => page.click(`#export-set-${set}`), 'Export (review set)');
  await page.waitForSelector(`${op} a.download`);
  assert.match(await page.getAttribute(`${op} a.download`, 'href'), /^https:\/\/[^/]+\/.+\.zip$/);
  assert.deepEqual(await writes(), ['POST reviewSets 201', 'POST addToReviewSet 202', 'POST export 202']);
  const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
  assert.ok(value.some((r) => r.method === 'POST' && r.path.includes(`/ediscoveryCases/${id}/reviewSets/${set}/`)), 'into the chosen set of this case');
  const { most } = await busiestMinute(emu.graph);
  assert.ok(most <= 5, `at most five eDiscovery requests in any minute (${most})`);
  assertClean(page);
  await page.close();
});

test('a new case is checked before it is sent, then created in its turn and listed first', { timeout: 150000 }, async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', APP, 'eDiscovery.ReadWrite.All');
  const posts = async () => {
    const { value } = await (await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method === 'POST' && r.path.split('?')[0].endsWith('/security/cases/ediscoveryCases'));
  };
  const before = (await posts()).length;
  const taken = await page.textContent('#case-list tbody tr td a');
  await page.click('#new-case summary');
  // A name the tenant already has (in other letter case) is refused here, and stays typed.
  await page.fill('#new-case-name', ` ${taken.toUpperCase()} `);
  await page.fill('#new-case-external', 'E2E-4711');
  await page.click('#new-case-create');
  await page.waitForSelector('#new-case-outcome.error');
  assert.match(await page.textContent('#new-case-outcome'), /already exists/);
  assert.equal(await page.inputValue('#new-case-name'), ` ${taken.toUpperCase()} `, 'what was typed is kept');
  assert.equal((await posts()).length, before, 'nothing was sent');
  // A new name: created, first in the list at once, and the fields empty again.
  const name = `Vigil e2e ${Date.now()}`;
  await page.fill('#new-case-name', name);
  await page.fill('#new-case-description', 'Opened by the end-to-end tests.');
  await page.click('#new-case-create');
  await page.waitForSelector('#new-case-outcome:is(.ok, .error)', { timeout: 120000 });
  assert.equal(await page.textContent('#new-case-outcome'), `Case \u201c${name}\u201d created.`);
  const first = await page.$eval('#case-list tbody tr', (r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
  assert.deepEqual(first.slice(0, 3), [name, 'E2E-4711', 'active']);
  assert.equal(await page.inputValue('#new-case-name'), '');
  const sent = (await posts()).slice(before);
  assert.deepEqual(sent.map((r) => r.status), [201], 'one POST, created');
  assertClean(page);
  await page.close();
});

test('custodians and a search are checked against the case, then added in their turn, and the search exported to a download link', { timeout: 420000 }, async () => {
  // An emulator of its own (operations of 8 seconds): the writes below spend budget minutes no
  // other test should wait on.
  const emu = await startEmulator(['--operation-seconds', '8']);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  await page.click('#case-list tbody tr td a');
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  await page.waitForSelector('#searches :is(tbody tr, p.muted)', { timeout: 60000 });
  const writes = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0].split('/').pop()} ${r.status}`);
  };
  const known = await page.$$eval('#custodians tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
  const domain = known.find((e) => e.includes('@')).split('@')[1];
  await page.click('#add-custodians summary');
  // A malformed address, then one already in the case (in other letter case): refused here.
  await page.fill('#add-custodians-emails', `nope\nok@${domain}`);
  await page.click('#add-custodians-go');
  await page.waitForSelector('#add-custodians-said.error');
  assert.match(await page.textContent('#add-custodians-said'), /nope/);
  await page.fill('#add-custodians-emails', known.find((e) => e.includes('@')).toUpperCase());
  await page.click('#add-custodians-go');
  await page.waitForFunction(() => /Already a custodian/.test(document.querySelector('#add-custodians-said')?.textContent));
  assert.deepEqual(await writes(), [], 'nothing was sent');
  // A new one: created, given their mailbox and OneDrive, and listed.
  const email = `e2e.${Date.now()}@${domain}`;
  await page.fill('#add-custodians-emails', email);
  await page.click('#add-custodians-go');
  await page.waitForSelector('#add-custodians-said.ok', { timeout: 150000 });
  assert.equal(await page.textContent('#add-custodians-said'), `Added ${email}, each with their mailbox and OneDrive.`);
  assert.equal(await page.inputValue('#add-custodians-emails'), '', 'emptied once added');
  await page.waitForFunction((e) => [...document.querySelectorAll('#custodians tbody td')].some((td) => td.textContent === e), email, { timeout: 90000 });
  assert.deepEqual(await writes(), ['POST custodians 201', 'POST userSources 201']);
  // A search over every mailbox: an unbalanced query is refused, a good one created.
  const name = `E2E search ${Date.now()}`;
  await page.click('#new-search summary');
  await page.fill('#new-search-name', name);
  await page.fill('#new-search-query', 'subject:(merger');
  await page.selectOption('#new-search-scope', 'allTenantMailboxes');
  await page.click('#new-search-go');
  await page.waitForSelector('#new-search-said.error');
  assert.match(await page.textContent('#new-search-said'), /parenthesis/);
  assert.equal(await page.inputValue('#new-search-name'), name, 'what was typed is kept');
  await page.fill('#new-search-query', 'subject:"merger (draft)"');
  await page.click('#new-search-go');
  await page.waitForSelector('#new-search-said.ok', { timeout: 150000 });
  const row = `#searches tbody tr:has(td:text-is("${name}"))`;
  await page.waitForSelector(row, { timeout: 90000 });
  assert.equal(await page.textContent(`${row} code`), 'subject:"merger (draft)"');
  assert.equal(await page.inputValue('#new-search-name'), '');
  assert.deepEqual((await writes()).slice(2), ['POST searches 201']);
  // Exported: the operation is listed at once, followed to its end, and offers its file.
  const search = await page.getAttribute(row, 'data-search');
  const listed = await page.$$eval('#operations tbody tr', (rows) => rows.map((r) => r.dataset.op));
  await page.click(`#export-${search}`);
  const exported = await page.waitForFunction((ids) => [...document.querySelectorAll('#operations tbody tr')]
    .find((r) => !ids.includes(r.dataset.op))?.dataset.op, listed, { timeout: 150000 }).then((h) => h.jsonValue());
  const op = `#operations tr[data-op="${exported}"]`;
  assert.equal(await page.textContent(`${op} td:first-child`), 'Export results');
  await page.waitForSelector(`${op}[data-phase="succeeded"] a.download`, { timeout: 180000 });
  const link = await page.$eval(`${op} a.download`, (a) => ({ href: a.getAttribute('href'), text: a.textContent, rel: a.rel }));
  assert.match(link.href, /^https:\/\/[^/]+\/.+\.zip$/);
  assert.match(link.text, /^Export\.zip \([\d.]+ MB\)$/);
  assert.equal(link.rel, 'noopener noreferrer');
  assert.match((await writes()).at(-1), /^POST exportResult 202$/);
  const { most } = await busiestMinute(emu.graph);
  assert.ok(most <= 5, `at most five eDiscovery requests in any minute (${most})`);
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

/// The report's operations chart and table read in the same instant (the app may draw again as
/// more cases' operations arrive): per table row, its counts and, on the canvas, how many
/// pixels of each outcome's colour its bar has. The bars' layout: a 28 px legend, then 30 px
/// rows (src/components/chart/bars.rs).
async function barsAndTable(page) {
  return page.evaluate(() => {
    const colours = [[6, 118, 71], [247, 144, 9], [217, 45, 32], [37, 99, 235]];
    const c = document.querySelector('.report-operations');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return [...document.querySelectorAll('#report-actions tbody tr')].map((r, i) => {
      const counts = [...r.querySelectorAll('td')].slice(1).map((td) => Number(td.textContent));
      const y = 28 + 30 * i + 15;
      const pixels = colours.map(([R, G, B]) => {
        let n = 0;
        for (let x = 0; x < c.width; x += 1) {
          const k = (y * c.width + x) * 4;
          if (d[k] === R && d[k + 1] === G && d[k + 2] === B) n += 1;
        }
        return n;
      });
      return { action: r.dataset.action, counts, pixels };
    });
  });
}

test('the case load report draws the open cases and the operations read so far, as its table says, and downloads them', { timeout: 180000 }, async () => {
  const page = await openPage(browser);
  await withEdiscovery(page, 'analyst');
  await page.click('.ediscovery-tabs a:text-is("Case load report")');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('view') === 'report');
  // Operations are read case by case in the background, five requests a minute: the report
  // says how many cases its figures cover.
  await page.waitForSelector('#report-actions tbody tr', { timeout: 60000 });
  const coverage = await page.textContent('.report-coverage');
  const m = coverage.match(/^(\d+) cases, (\d+) open now\. Operations read for (?:(\d+) of the (\d+) cases that can have some; the rest follow|every case that can have some\.)/);
  assert.ok(m, `the coverage is stated: ${coverage}`);
  const [cases, open] = [Number(m[1]), Number(m[2])];
  assert.ok(cases > 20 && open > 0 && open < cases, `${cases} cases, ${open} open`);
  if (m[3] !== undefined) {
    const [read, need] = [Number(m[3]), Number(m[4])];
    assert.ok(read >= 1 && read < need && need < cases, `operations of ${read} of ${need} cases read, not of closed ones`);
  }
  // Each bar is split by outcome as the table counts them: a colour where there is a count,
  // none where there is not, and the pixels in the counts' proportions.
  const rows = await barsAndTable(page);
  const widest = Math.max(...rows.map((r) => r.counts.reduce((a, b) => a + b, 0)));
  const span = 960 - 48 - 170;
  for (const { action, counts, pixels } of rows) {
    counts.forEach((n, j) => {
      const expected = (span * n) / widest;
      assert.ok(Math.abs(pixels[j] - expected) <= 2, `${action}, outcome ${j}: ${pixels[j]} px for ${n} of ${widest} (expected ${expected.toFixed(1)})`);
    });
  }
  assert.ok(rows.some((r) => r.counts[2] > 0), `a failed operation is among those read: ${JSON.stringify(rows)}`);
  // The open cases over the year: a line in the chart's colour.
  const line = await page.$eval('.report-open', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < d.length; k += 4) if (d[k] === 37 && d[k + 1] === 99 && d[k + 2] === 235) n += 1;
    return n;
  });
  assert.ok(line > 500, `the open-cases line is drawn (${line} px)`);
  // The figures as CSV: the same actions and counts as the table (read before and after the
  // click, as more operations may arrive in between).
  const before = await barsAndTable(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.report-csv')]);
  const after = await barsAndTable(page);
  assert.equal(download.suggestedFilename(), 'case-load.csv');
  const csv = (await readFile(await download.path(), 'utf8')).split('\n');
  assert.equal(csv[0], 'section,key,value,succeeded,partly succeeded,failed,running');
  const lines = (table) => table.map(({ action, counts }) => `operations (30 days),${action},${counts.reduce((a, b) => a + b, 0)},${counts.join(',')}`);
  const inCsv = csv.filter((l) => l.startsWith('operations (30 days),'));
  assert.ok([before, after].some((t) => JSON.stringify(lines(t)) === JSON.stringify(inCsv)), `the CSV has the table's operations: ${inCsv}`);
  assert.equal(csv.filter((l) => l.startsWith('open cases,')).length, 365);
  await screenshot(page, 'ediscovery-report');
  // The Overview's eDiscovery card: the same open cases, from the case list already read.
  await page.click('nav.sidebar a[href="/"]');
  await page.waitForSelector('#ediscovery-card .figure-value');
  const card = await page.$$eval('#ediscovery-card .figure', (fs) => fs.map((f) => f.textContent));
  assert.equal(card[0], `${open}open cases`);
  assert.match(card[1], /^\d+opened in 30 days$/);
  assert.match(await page.getAttribute('#ediscovery-card .figure', 'href'), /view=report/);
  assertClean(page);
  await page.close();
});

test('a custodian\'s hold, and its sources\' shown beside it, move through its operation to its end, and two minutes on the case page stay within the budget', { timeout: 300000 }, async () => {
  // Hold operations of 75 seconds: longer than the minute the first reads and the change
  // spend, so the custodian is read again while the hold is under way.
  const emu = await startEmulator(['--operation-seconds', '75']);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  await page.click('#case-list tbody tr td a');
  const opened = Date.now();
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  // A custodian whose hold is settled either way: applying one, or removing it.
  const target = await page.$$eval('#custodians tbody tr', (rows) => rows
    .map((r) => ({ id: r.dataset.custodian, hold: r.querySelector('.badge').textContent }))
    .find((c) => c.hold === 'applied' || c.hold === 'notApplied'));
  assert.ok(target, 'the case has a custodian with a settled hold');
  const [moving, settled] = target.hold === 'applied' ? ['removing', 'notApplied'] : ['applying', 'applied'];
  const badge = `#custodians tr[data-custodian="${target.id}"] .badge`;
  // Its sources, asked for: one read per collection, drawn below the custodians.
  await page.click(`#custodians tr[data-custodian="${target.id}"] .show-sources`);
  const name = await page.textContent(`#custodians tr[data-custodian="${target.id}"] td:first-child`);
  assert.equal(await page.textContent('#custodian-sources h3'), `Sources of \u201c${name}\u201d`);
  const sourceReads = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.map((r) => r.path.split('?')[0]).filter((p) => p.includes(`/custodians/${target.id}/`)).map((p) => p.split('/').pop());
  };
  await page.waitForSelector('#held-sources tbody tr:has(td:text-is("Mailbox and OneDrive"))', { timeout: 100000 });
  const seen = [];
  const watch = setInterval(async () => {
    const now = await page.textContent(badge).catch(() => null);
    if (now && seen.at(-1) !== now) seen.push(now);
  }, 250);
  await page.click(`#hold-${target.id}`);
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [badge, moving], { timeout: 100000 });
  // When the hold operation ends, the page reads the custodians again by itself.
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [badge, settled], { timeout: 120000 });
  clearInterval(watch);
  if (seen.at(-1) !== settled) seen.push(settled);
  assert.deepEqual(seen.filter((s) => s !== target.hold), [moving, settled], `the hold went ${target.hold} → ${moving} → ${settled}: ${seen}`);
  // Its sources are read again with it, and are held as it is.
  await page.waitForFunction((want) => {
    const holds = [...document.querySelectorAll('#held-sources tbody .badge')].map((b) => b.textContent);
    return holds.length > 0 && holds.every((h) => h === want);
  }, settled, { timeout: 100000 });
  await screenshot(page, 'ediscovery-custodian-sources');
  const reads = await sourceReads();
  for (const collection of ['siteSources', 'unifiedGroupSources']) {
    assert.ok(reads.includes(collection), `${collection} read: ${reads}`);
  }
  const mailbox = reads.filter((r) => r === 'userSources').length;
  assert.ok(mailbox >= 2, `the mailbox, read before the change, read again when the hold ended: ${reads}`);
  // The page stays open two minutes in all, polling what runs (the two minutes are what is
  // tested, not a wait for something): never more than five eDiscovery requests in a minute,
  // on the emulator's own log.
  const left = 120000 - (Date.now() - opened);
  if (left > 0) await page.waitForTimeout(left);
  const log = await busiestMinute(emu.graph);
  assert.ok(log.most <= 5, `never more than 5 eDiscovery requests in a minute (${log.most})`);
  assert.equal(log.refused, 0, 'and never refused');
  assert.ok(log.total >= 8, `the page kept reading while it was open (${log.total} requests)`);
  assertClean(page);
  await page.close();
});

test('a tag palette is checked, kept in the browser, applied by creating only the tags the case lacks, and exported', { timeout: 300000 }, async () => {
  // An emulator of its own: the tags created here would change the seeded tree other tests read.
  const emu = await startEmulator([]);
  const page = await openPage(browser);
  await withEdiscovery(page, 'eDiscovery manager', emu.app, 'eDiscovery.ReadWrite.All');
  await page.selectOption('#case-status', 'active');
  const id = await page.getAttribute('#case-list tbody tr', 'data-case');
  await page.click(`#case-list tbody tr[data-case="${id}"] td a`);
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  await page.click('#case-tags summary');
  await page.waitForSelector('#tag-tree li', { timeout: 90000 });
  const posts = async () => {
    const { value } = await (await fetch(`${emu.graph}/_emulator/requests?family=ediscovery`)).json();
    return value.filter((r) => r.method === 'POST' && r.path.split('?')[0].endsWith(`/ediscoveryCases/${id}/tags`)).map((r) => r.status);
  };
  await page.click('#palette summary');
  // A tag indented under nothing is refused here, naming its line, and stays typed.
  await page.fill('#palette-name', 'Litigation standard');
  await page.fill('#palette-tags', '  Orphan');
  await page.click('#palette-go');
  await page.waitForSelector('#palette-said.error');
  assert.equal(await page.textContent('#palette-said'), 'Line 1: indented under no tag.');
  assert.equal(await page.inputValue('#palette-tags'), '  Orphan', 'what was typed is kept');
  assert.deepEqual(await posts(), [], 'nothing was sent');
  // The seeded case has Responsive, Not responsive and Privileged (with two under it).
  const outline = 'Responsive\n  Hot\nprivileged\n  Attorney-client\nSecond review';
  await page.fill('#palette-tags', outline);
  await page.click('#palette-go');
  await page.waitForSelector('#palette-said.ok', { timeout: 240000 });
  assert.equal(await page.textContent('#palette-said'),
    '\u201cLitigation standard\u201d: Created Responsive \u203a Hot, privileged \u203a Attorney-client, Second review; 2 already in the case.');
  assert.deepEqual(await posts(), [201, 201, 201], 'one request per missing tag');
  // The tree read again: each new tag under its parent.
  await page.waitForSelector('#tag-tree > li:has(> .tag-tree > li:text-is("Hot"))', { timeout: 90000 });
  const parentOf = async (name) => page.$eval(`#tag-tree li:text-is("${name}")`, (li) => li.parentElement.closest('li')?.firstChild.textContent ?? null);
  assert.equal(await parentOf('Hot'), 'Responsive');
  assert.equal(await parentOf('Attorney-client'), 'Privileged');
  assert.equal(await parentOf('Second review'), null);
  // Kept in this browser: offered by name, and applied again it creates nothing.
  await page.selectOption('#palette-pick', 'Litigation standard');
  await page.click('#palette-go');
  await page.waitForFunction(() => /No tag was missing/.test(document.querySelector('#palette-said')?.textContent), null, { timeout: 120000 });
  assert.equal(await page.textContent('#palette-said'), '\u201cLitigation standard\u201d: No tag was missing; 5 already in the case.');
  assert.deepEqual(await posts(), [201, 201, 201], 'nothing more was sent');
  // Exported as the outline it was typed as, under its name.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#palette-export')]);
  assert.equal(download.suggestedFilename(), 'tag-palettes.txt');
  assert.equal(await readFile(await download.path(), 'utf8'),
    '# Litigation standard\nResponsive\n  Hot\nprivileged\n  Attorney-client\nSecond review\n');
  assert.equal(await page.textContent('#palette-export-said'), 'Exported 1 palette.');
  // A palette pasted from such a file, heading and all, is named by its heading.
  await page.selectOption('#palette-pick', '');
  await page.fill('#palette-name', '');
  await page.fill('#palette-tags', '# Second request\nPrivileged\n  Work product\n');
  await page.click('#palette-go');
  await page.waitForFunction(() => /Second request/.test(document.querySelector('#palette-said')?.textContent), null, { timeout: 120000 });
  assert.equal(await page.textContent('#palette-said'), '\u201cSecond request\u201d: Created Privileged \u203a Work product; 1 already in the case.');
  assert.deepEqual(await posts(), [201, 201, 201, 201]);
  assert.deepEqual(await page.$$eval('#palette-pick option', (os) => os.map((o) => o.value)), ['', 'Litigation standard', 'Second request']);
  const { most } = await busiestMinute(emu.graph);
  assert.ok(most <= 5, `at most five eDiscovery requests in any minute (${most})`);
  assertClean(page);
  await page.close();
});
