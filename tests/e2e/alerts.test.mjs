// The alert queue as an analyst uses it: filters in the address bar, the detail pane with
// evidence, triage that persists, hostile text rendered inert, keyboard triage, export and a
// bulk assignment. Runs against the emulator's demo tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  ALL, APP, launch, openPage, assertClean, screenshot, chooseIdentity, signIn, analystWith, waitForRows, queueCount,
} from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Signs in as the analyst with SecurityAlert.ReadWrite.All, then opens `path`.
async function analystWithWrite(page, path) {
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], path);
  await waitForRows(page);
}

/// Does `action` (which changes a server-side filter) and waits for the reload it causes.
async function reloadsAfter(page, action) {
  const before = Number(await page.getAttribute('.queue', 'data-loads'));
  await action();
  await page.waitForFunction((b) => {
    const q = document.querySelector('.queue');
    return q && Number(q.dataset.loads) > b && q.dataset.state === 'done';
  }, before, { timeout: 60000 });
}


async function rowSeverities(page) {
  return page.$$eval('.queue-body .qrow .col-severity .sev', (els) => els.map((e) => e.textContent.trim()));
}

test('a filter changes the address and the rows; a reload restores the view', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/alerts');
  await waitForRows(page);
  const before = await queueCount(page);
  assert.ok(before > 0, 'the default view has alerts');
  const dom = await page.$$eval('.queue-body .qrow', (r) => r.length);
  assert.ok(dom < 80, `only visible rows are in the DOM (${dom})`);
  await reloadsAfter(page, () => page.selectOption('#filter-severity', 'high'));
  assert.match(page.url(), /severity=high/);
  const after = await queueCount(page);
  assert.ok(after < before, `fewer rows with severity=high (${after} < ${before})`);
  assert.ok((await rowSeverities(page)).every((s) => s === 'High'));
  assert.match(await page.textContent('#filter-chips'), /Severity: High/);
  assert.match(await page.textContent('#queue-request'), /^GET http.*\/v1\.0\/security\/alerts_v2\?\$filter=.*severity%20eq%20'high'/);
  // Sort by title, then reload: the same view comes back.
  await page.click('.colhead[data-col="title"]');
  await page.waitForURL(/sort=title/);
  const url = page.url();
  const firstTitles = await page.$$eval('.queue-body .qrow .col-title', (c) => c.slice(0, 5).map((e) => e.textContent));
  await page.reload();
  await waitForRows(page);
  assert.equal(page.url(), url);
  assert.equal(await queueCount(page), after);
  assert.deepEqual(await page.$$eval('.queue-body .qrow .col-title', (c) => c.slice(0, 5).map((e) => e.textContent)), firstTitles);
  assert.ok((await rowSeverities(page)).every((s) => s === 'High'));
  // Removing the chip widens the view again.
  await reloadsAfter(page, () => page.click('#filter-chips li[data-key="severity"] .chip-remove'));
  assert.match(page.url(), /severity=(&|$)/);
  assert.ok(await queueCount(page) > after);
  // A provider narrows to that product's alerts, named in a chip.
  await reloadsAfter(page, () => page.selectOption('#filter-provider', 'microsoftDefenderForOffice365'));
  assert.match(page.url(), /service=microsoftDefenderForOffice365/);
  const providers = await page.$$eval('.queue-body .qrow .col-provider', (c) => c.map((e) => e.textContent));
  assert.ok(providers.length > 0 && providers.every((p) => p === 'Defender for Office 365'), providers.join('|'));
  assert.match(await page.textContent('#filter-chips'), /Provider: Defender for Office 365/);
  assertClean(page);
});

test('opening an alert shows its evidence, the Graph request and the raw JSON', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/alerts');
  await waitForRows(page);
  await page.click('.queue-body .qrow[data-pos="0"] .col-title');
  await page.waitForURL(/alert=/);
  await page.waitForSelector('#detail-evidence .evidence-group');
  const groups = await page.$$eval('#detail-evidence .evidence-group h4', (h) => h.map((e) => e.textContent));
  assert.ok(groups.length > 0, 'evidence grouped by kind');
  assert.match(await page.textContent('#detail-request'), /^GET http.*\/v1\.0\/security\/alerts_v2\//);
  assert.match(await page.textContent('#detail-raw'), /"evidence"/);
  await screenshot(page, 'alert-detail');
  // The selection is in the address: a reload reopens it.
  const id = await page.getAttribute('#alert-detail', 'data-id');
  await page.reload();
  await page.waitForSelector(`#alert-detail[data-id="${id}"] #detail-evidence`);
  assertClean(page);
});

test('alert text with <script> and <img onerror> renders as inert text', async () => {
  const page = await openPage(browser);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await signIn(page, 'analyst', `/alerts?${ALL}&q=script`);
  await waitForRows(page);
  const titles = await page.$$eval('.queue-body .qrow .col-title', (c) => c.map((e) => e.textContent));
  assert.ok(titles.some((t) => t.includes('<script>alert(1)</script>')), `the payload shows as text: ${titles.slice(0, 3)}`);
  await page.click('.queue-body .qrow[data-pos="0"] .col-title');
  await page.waitForSelector('#detail-title');
  await page.goto(`${APP}/alerts?${ALL}&q=onerror`);
  await waitForRows(page);
  const t2 = await page.$$eval('.queue-body .qrow .col-title', (c) => c.map((e) => e.textContent));
  assert.ok(t2.some((t) => t.includes('<img src=x onerror=alert(1)>')));
  await page.click('.queue-body .qrow[data-pos="0"] .col-title');
  await page.waitForSelector('#detail-title');
  assert.match(await page.textContent('#detail-title'), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.$$eval('main script, main img', (e) => e.length), 0, 'no element was created from alert text');
  // Whatever the render queued (an image's error handler, a script) has run once a frame was
  // drawn and the task queue turned over.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  assert.equal(dialogs, 0, 'no script ran');
  assertClean(page);
});

test('resolving asks for a comment, and the resolution and comment persist', async () => {
  const page = await openPage(browser);
  await analystWithWrite(page, '/alerts');
  await page.click('.queue-body .qrow[data-pos="0"] .col-title');
  await page.waitForSelector('#triage-save:not([disabled])');
  const id = await page.getAttribute('#alert-detail', 'data-id');
  await page.selectOption('#triage-status', 'resolved');
  await page.click('#triage-save');
  assert.match(await page.textContent('#triage-error'), /asks for a comment/);
  const note = `Benign admin script, checked with the owner ${Date.now()}`;
  await page.fill('#triage-comment', note);
  await page.click('#triage-save');
  await page.waitForFunction((n) => document.querySelector('#detail-comments')?.textContent.includes(n), note, { timeout: 30000 });
  assert.equal((await page.textContent('#detail-status')).trim(), 'Resolved');
  await page.waitForSelector('#triage-saved');
  // The resolved alert leaves the default (open) view; open it by its link and reload.
  await page.goto(`${APP}/alerts?${ALL}&alert=${encodeURIComponent(id)}`);
  await page.waitForSelector('#detail-comments');
  assert.equal((await page.textContent('#detail-status')).trim(), 'Resolved');
  assert.ok((await page.textContent('#detail-comments')).includes(note), 'the comment is on the alert');
  assertClean(page);
});

test('keyboard: j/k move, Enter opens, a assigns to me, ? shows help', async () => {
  const page = await openPage(browser);
  await analystWithWrite(page, '/alerts?assigned=%40none');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  assert.equal(await page.getAttribute('.qrow.cursor', 'data-pos'), '1');
  const id = await page.getAttribute('.qrow.cursor', 'data-id');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#alert-detail[data-id="${id}"]`);
  await page.keyboard.press('a');
  await page.waitForFunction((id) => {
    const row = document.querySelector(`.qrow[data-id="${id}"] .col-assigned`);
    return !row || row.textContent.includes('alex.analyst@contoso.example');
  }, id);
  await page.keyboard.press('?');
  await page.waitForSelector('#keyboard-help');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'queue-search');
  // The assignment is on the service: an "assigned to me" view lists it.
  await page.goto(`${APP}/alerts?${ALL}&assigned=%40me&q=${encodeURIComponent(id)}`);
  await waitForRows(page);
  await page.waitForSelector(`.qrow[data-id="${id}"]`);
  assertClean(page);
});

test('CSV export of the filtered set has a header and one line per alert', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/alerts?severity=high');
  await waitForRows(page);
  const n = await queueCount(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const text = await readFile(await download.path(), 'utf8');
  // Quoted cells may hold line breaks; count records outside quotes.
  let records = 0; let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) records += 1;
  }
  assert.equal(records, n + 1, 'header + one record per alert');
  assert.ok(text.startsWith('"Severity","Title","Status","Provider"'), 'every field quoted');
  assert.match(download.suggestedFilename(), /^vigil-alerts-.*\.csv$/);
  assert.match(await page.textContent('#export-status'), new RegExp(`Exported ${n.toLocaleString('en-US')} alert`));
  assertClean(page);
});

test('bulk: select alerts with x and the checkboxes, assign them to me, see per-alert results', async () => {
  const page = await openPage(browser);
  await analystWithWrite(page, '/alerts?assigned=%40none&severity=low');
  await page.keyboard.press('x');
  await page.click('.qrow[data-pos="1"] .row-check');
  await page.click('.qrow[data-pos="2"] .row-check');
  assert.match(await page.textContent('#bulk-count'), /3 selected/);
  const ids = await page.$$eval('.qrow', (rows) => rows.filter((r) => r.querySelector('.row-check')?.checked).map((r) => r.dataset.id));
  assert.equal(ids.length, 3);
  // Resolving in bulk asks for the comment each alert will get.
  await page.selectOption('#bulk-action', 'resolve');
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-bar .error:has-text("asks for a comment")');
  await page.selectOption('#bulk-action', 'assign');
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-progress[data-done="true"]', { timeout: 30000 });
  assert.equal((await page.textContent('#bulk-progress')).trim(), '3 of 3 done');
  for (const id of ids) {
    await page.goto(`${APP}/alerts?${ALL}&assigned=%40me&q=${encodeURIComponent(id)}`);
    await waitForRows(page);
    await page.waitForSelector(`.qrow[data-id="${id}"]`);
  }
  assertClean(page);
});

test('the overview links each figure to the queue view that reproduces it', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/');
  await page.waitForSelector('#open-alerts .figure', { timeout: 60000 });
  const high = page.locator('#open-alerts .figures').first().locator('a.figure', { hasText: 'High' });
  const value = Number((await high.locator('.figure-value').textContent()).trim());
  assert.ok(value > 0);
  await high.click();
  await page.waitForURL(/\/alerts\?/);
  await waitForRows(page);
  assert.equal(await queueCount(page), value, 'the queue shows as many alerts as the figure said');
  assert.ok((await rowSeverities(page)).every((s) => s === 'High'));
  assertClean(page);
});

test('an incident opens with its alerts', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/incidents');
  await page.waitForSelector('#incident-table tbody tr', { timeout: 60000 });
  await page.click('#incident-table tbody tr:first-child');
  await page.waitForURL(/incident=/);
  await page.waitForSelector('#incident-alerts li');
  assert.ok((await page.$$('#incident-alerts li')).length > 0);
  assertClean(page);
});

test('an unsent comment is kept as a draft across a reload', async () => {
  const page = await openPage(browser);
  await analystWithWrite(page, '/alerts');
  await page.click('.queue-body .qrow[data-pos="0"] .col-title');
  await page.waitForSelector('#triage-comment');
  const id = await page.getAttribute('#alert-detail', 'data-id');
  const text = `Half-written note ${Date.now()}`;
  await page.fill('#triage-comment', text);
  await page.reload();
  await page.waitForSelector(`#alert-detail[data-id="${id}"] #triage-comment`);
  await page.waitForFunction((t) => document.querySelector('#triage-comment').value === t, text);
  const stored = await page.evaluate((k) => sessionStorage.getItem(k), `vigil.draft.alert.${id}.comment`);
  assert.equal(stored, text, 'kept in sessionStorage under the drafts prefix');
  assertClean(page);
});
