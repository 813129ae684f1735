// The correlation views around an alert: its cluster in the detail pane, the entity pivot with
// its directory context, triage advice applied with one click, the cluster's alert-entity
// graph, and the engine over an imported export. Expectations come from the emulator's truth
// file (VIGIL_TRUTH_FILE) and from its Graph API read with the signed-in analyst's own token,
// never from the page under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALL, APP, GRAPH, launch, openPage, assertClean, screenshot, chooseIdentity, signIn, analystWith,
  waitForRows, startEmulator, stopEmulators, contosoStories,
} from './support.mjs';

let browser;
let stories;
before(async () => {
  browser = await launch();
  stories = await contosoStories();
});
after(async () => { stopEmulators(); await browser?.close(); });

/// Keeps the newest access token the page receives, as `page.token()`.
function watchTokens(page) {
  let token;
  page.on('response', async (resp) => {
    if (!resp.url().endsWith('/oauth2/v2.0/token') || resp.request().method() !== 'POST') return;
    try { token = (await resp.json()).access_token ?? token; } catch { /* not JSON: not a token */ }
  });
  page.token = () => token;
}

/// GET on the emulator's Graph API with the analyst's token.
async function graph(page, path, graphUrl = GRAPH) {
  assert.ok(page.token(), 'an access token was seen');
  const r = await fetch(path.startsWith('http') ? path : `${graphUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${page.token()}` } });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}

/// Every alert of the signed-in tenant, through Graph's paging.
async function allAlerts(page, graphUrl = GRAPH) {
  const out = [];
  let next = `${graphUrl}/v1.0/security/alerts_v2?$top=2000`;
  while (next) {
    const body = await graph(page, next, graphUrl);
    out.push(...body.value);
    next = body['@odata.nextLink'];
  }
  return out;
}

/// The simple identifiers of an alert's evidence (lower-cased), for picking test subjects.
function keys(alert) {
  const out = new Set();
  for (const e of alert.evidence ?? []) {
    const add = (tag, v) => { if (typeof v === 'string' && v.trim()) out.add(`${tag}:${v.trim().toLowerCase()}`); };
    add('upn', e.userAccount?.userPrincipalName);
    add('mde', e.mdeDeviceId);
    add('host', e.deviceDnsName);
    add('ip', e.ipAddress);
    add('sha256', e.fileDetails?.sha256);
  }
  return out;
}

/// The first alert of the selected cluster that is not resolved in the emulator.
async function openAlertOfCluster(page) {
  for (const id of await page.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id))) {
    if ((await graph(page, `/security/alerts_v2/${encodeURIComponent(id)}`)).status !== 'resolved') return id;
  }
  assert.fail('the cluster has an open alert');
}

function queueLink(id) {
  return `/alerts?${ALL}&alert=${encodeURIComponent(id)}`;
}

test('the detail pane says which cluster the alert is part of, and its link opens that cluster', async () => {
  const page = await openPage(browser);
  const id = stories[0].alert_ids[0];
  await signIn(page, 'analyst', queueLink(id));
  await waitForRows(page);
  await page.waitForSelector('#detail-cluster-link', { timeout: 30000 });
  const text = await page.textContent('#detail-cluster');
  assert.match(text, /This alert is part of a \d+-alert cluster across \d+ providers?/);
  const size = Number(await page.getAttribute('#detail-cluster', 'data-alerts'));
  assert.ok(size >= stories[0].alert_ids.length, `the cluster holds the story (${size})`);
  // Its entities link to the pivot.
  assert.ok((await page.$$('#detail-correlation a.entity-link')).length >= 1, 'entities are listed');
  await page.click('#detail-cluster-link');
  await page.waitForSelector('#cluster-detail', { timeout: 60000 });
  const shown = await page.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id));
  assert.ok(shown.includes(id), 'the opened cluster holds the alert');
  assert.equal(shown.length, size, 'the same cluster as the pane said');
  assert.ok(await page.$('#clusters li.cluster[aria-current="true"]'), 'it is marked in the list');
  assertClean(page);
});

test('the entity pivot from a device in an alert lists that device\'s alerts from several providers', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  await signIn(page, 'analyst', '/');
  const alerts = await allAlerts(page);
  // A device (by Defender device id) named by alerts of at least two providers.
  const byDevice = new Map();
  for (const a of alerts) {
    for (const k of keys(a)) {
      if (!k.startsWith('mde:')) continue;
      if (!byDevice.has(k)) byDevice.set(k, []);
      byDevice.get(k).push(a);
    }
  }
  const [device, named] = [...byDevice.entries()]
    .filter(([, list]) => new Set(list.map((a) => a.serviceSource)).size >= 2)
    .sort((x, y) => y[1].length - x[1].length)[0] ?? [];
  assert.ok(device, 'the demo tenant has a device seen by several providers');
  const from = named[0];
  await page.goto(APP + queueLink(from.id));
  await waitForRows(page);
  const link = `#detail-correlation li[data-kind="device"][data-key] a.entity-link`;
  await page.waitForSelector(link, { timeout: 30000 });
  // The device entity that carries this Defender device id.
  const mde = device.slice('mde:'.length);
  const hrefs = await page.$$eval(link, (as) => as.map((a) => a.getAttribute('href')));
  let target = hrefs.find((h) => decodeURIComponent(h).includes(mde));
  if (!target) {
    // Labelled by its DNS name: open each device until the pivot knows the id.
    target = hrefs[0];
  }
  await page.click(`${link}[href="${target}"]`);
  await page.waitForSelector('#entity-alerts li', { timeout: 60000 });
  assert.match(await page.textContent('#entity-label'), /device/);
  const identifiers = await page.textContent('#entity');
  assert.ok(identifiers.includes(`mdedevice:${mde}`), 'the pivot is that device');
  const listed = await page.$$eval('#entity-alerts li', (lis) => lis.map((li) => ({ id: li.dataset.id, provider: li.dataset.provider })));
  for (const a of named) assert.ok(listed.some((l) => l.id === a.id), `${a.id} (${a.serviceSource}) is listed`);
  assert.ok(new Set(listed.map((l) => l.provider)).size >= 2, 'from several providers');
  assert.ok(await page.$('#entity-timeline circle'), 'on a timeline');
  // The directory record needs Device.Read.All, which the sign-in lacks: said, then asked for.
  await page.waitForSelector('#entity-directory-scope');
  assert.match(await page.textContent('#entity-directory-scope'), /needs Device\.Read\.All/);
  await page.click('#entity-directory .request-access');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#entity-context', { timeout: 60000 });
  assert.match(await page.textContent('#entity-context'), /Operating system/);
  assert.doesNotMatch(await page.textContent('#entity-context dd[data-field="Owner"]'), /^\s*—\s*$/, 'the owner is named');
  await screenshot(page, 'correlation-entity');
  assertClean(page);
});

test('"classify the same way" resolves the alert with the advised classification in the emulator', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], '/');
  const alerts = await allAlerts(page);
  const closed = (a) => a.status === 'resolved' || ['truePositive', 'falsePositive', 'informationalExpectedActivity'].includes(a.classification);
  // Open alerts with the most closed look-alikes (same title, an identifier in common).
  const candidates = alerts
    .filter((a) => !closed(a))
    .map((a) => {
      const mine = keys(a);
      const like = alerts.filter((b) => b.id !== a.id && b.title === a.title && closed(b) && [...keys(b)].some((k) => mine.has(k)));
      return { a, like: like.length };
    })
    .filter((c) => c.like > 0)
    .sort((x, y) => y.like - x.like)
    .slice(0, 5);
  assert.ok(candidates.length > 0, 'the demo tenant has open alerts like closed ones');
  let done = null;
  for (const { a } of candidates) {
    await page.goto(APP + queueLink(a.id));
    await waitForRows(page);
    await page.waitForSelector('#advice', { timeout: 30000 });
    if (!(await page.$('#advice-apply'))) continue;
    const sentence = await page.textContent('#advice .advice-sentence');
    assert.match(sentence, /^\d+ of \d+ closed as .+/);
    await page.click('#advice-apply');
    await page.waitForFunction(() => /resolved/i.test(document.querySelector('#detail-status')?.textContent ?? ''), null, { timeout: 30000 });
    done = { id: a.id, sentence };
    break;
  }
  assert.ok(done, 'one of the candidates had advice to apply');
  const wire = { 'false positive': 'falsePositive', 'true positive': 'truePositive', 'informational, expected activity': 'informationalExpectedActivity' };
  const advised = Object.entries(wire).find(([words]) => done.sentence.includes(`closed as ${words}`))?.[1];
  const fresh = await graph(page, `/security/alerts_v2/${encodeURIComponent(done.id)}`);
  assert.equal(fresh.status, 'resolved', 'resolved in the emulator');
  if (advised) assert.equal(fresh.classification, advised, 'classified as advised');
  assert.ok(fresh.comments.some((c) => /Vigil triage advice/.test(c.comment)), 'with a comment that says why');
  assertClean(page);
});

test('the cluster graph highlights an entity\'s alerts and an alert\'s entities, by keyboard too', async () => {
  const page = await openPage(browser);
  const story = stories[0];
  await signIn(page, 'analyst', `/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await page.waitForSelector('#cluster-graph .entity-node', { timeout: 60000 });
  const entity = '#cluster-graph .entity-node';
  // Keyboard: focus the first entity and press Enter.
  await page.focus(entity);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${entity}[aria-pressed="true"]`);
  const lit = await page.$$eval('#cluster-graph .alert-node', (gs) => gs.map((g) => g.getAttribute('class')));
  assert.ok(lit.some((c) => /\blit\b/.test(c)), 'its alerts are highlighted');
  assert.ok(lit.every((c) => /\b(lit|dim)\b/.test(c)), 'the others are dimmed');
  assert.ok((await page.$$('#cluster-graph line.edge.lit')).length >= 1, 'its lines too');
  // The highlighted alerts are exactly those the pivot lists for it in this cluster.
  const litIds = await page.$$eval('#cluster-graph .alert-node.lit', (gs) => gs.map((g) => g.dataset.id));
  assert.ok(litIds.length >= 1);
  // An alert: its entities light up.
  await page.click('#cluster-graph .alert-node');
  await page.waitForSelector('#cluster-graph .alert-node[aria-pressed="true"]');
  assert.ok((await page.$$('#cluster-graph .entity-node.lit')).length >= 1, 'its entities are highlighted');
  // An entity again, then its pivot.
  await page.click(entity);
  await page.waitForSelector('#graph-pivot');
  await page.click('#graph-pivot');
  await page.waitForSelector('#entity-alerts li', { timeout: 60000 });
  const listed = await page.$$eval('#entity-alerts li', (lis) => lis.map((li) => li.dataset.id));
  for (const id of litIds) assert.ok(listed.includes(id), `the pivot lists ${id}`);
  assertClean(page);
});

test('the cluster\'s alerts are triaged through the bulk job and open in the queue\'s detail pane', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  const story = stories[stories.length - 1];
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], `/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await page.waitForSelector('#cluster-alerts li', { timeout: 60000 });
  const picked = await page.$$eval('#cluster-alerts li', (lis) => lis.slice(0, 2).map((li) => li.dataset.id));
  for (const id of picked) await page.check(`#cluster-alerts li[data-id="${id}"] input.cluster-check`);
  await page.selectOption('#cluster-bulk-action', 'progress');
  await page.click('#cluster-bulk-apply');
  await page.waitForSelector('#cluster-bulk-progress[data-done="true"]', { timeout: 30000 });
  for (const id of picked) {
    const a = await graph(page, `/security/alerts_v2/${encodeURIComponent(id)}`);
    assert.equal(a.status, 'inProgress', `${id} is in progress in the emulator`);
  }
  // An alert opens in the queue's detail pane.
  await page.click(`#cluster-alerts li[data-id="${picked[0]}"] a`);
  await page.waitForSelector(`#alert-detail[data-id="${picked[0]}"]`, { timeout: 30000 });
  assertClean(page);
});

test('the entity pivot and the way back reuse the alerts read, with the triage done since; "Read again" reads them again', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  let listings = 0;
  page.on('request', (r) => { if (r.method() === 'GET' && /\/security\/alerts_v2\?/.test(r.url())) listings += 1; });
  const story = stories[1];
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], `/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await page.waitForSelector('#cluster-alerts li', { timeout: 60000 });
  const key = await page.getAttribute('#cluster-detail', 'data-key');
  const scoreOf = `li.cluster[data-key="${key}"] .cluster-score`;
  const score = () => page.$eval(scoreOf, (s) => s.textContent);
  const before = await score();
  const read = listings;
  assert.ok(read >= 1, 'the alerts were read');
  // Resolving one of its alerts lowers the cluster's open share, so its score.
  const id = await openAlertOfCluster(page);
  await page.check(`#cluster-alerts li[data-id="${id}"] input.cluster-check`);
  await page.selectOption('#cluster-bulk-action', 'resolve');
  await page.fill('#cluster-bulk-comment', 'Handled with the rest of the attack');
  await page.click('#cluster-bulk-apply');
  await page.waitForSelector('#cluster-bulk-progress[data-done="true"]', { timeout: 30000 });
  assert.equal((await graph(page, `/security/alerts_v2/${encodeURIComponent(id)}`)).status, 'resolved');
  await page.waitForFunction(([sel, b]) => document.querySelector(sel)?.textContent !== b, [scoreOf, before]);
  const after = await score();
  // To an entity's pivot and back.
  await page.click('#cluster-graph .entity-node');
  await page.waitForSelector('#graph-pivot');
  await page.click('#graph-pivot');
  await page.waitForSelector('#entity-alerts li', { timeout: 60000 });
  await page.goBack();
  await page.waitForSelector(scoreOf, { timeout: 60000 });
  assert.equal(await score(), after, 'the resolved alert is still resolved on the way back');
  assert.equal(listings, read, 'no alert was read again');
  // Read again: the listing is requested, and the service's state is the same.
  const at = await page.getAttribute('#correlation-read', 'data-at');
  const request = page.waitForRequest((r) => /\/security\/alerts_v2\?/.test(r.url()));
  await page.click('#correlation-reread');
  await request;
  await page.waitForFunction((a) => document.querySelector('#correlation-read')?.dataset.at !== a, at, { timeout: 60000 });
  assert.ok(listings > read, 'the alerts were read again');
  assert.equal(await score(), after);
  // A read again that fails says so and keeps the clusters read before.
  await page.route(/\/security\/alerts_v2\?/, (route) => route.abort('internetdisconnected'));
  await page.click('#correlation-reread');
  await page.waitForFunction(() => [...document.querySelectorAll('.correlation .error')].some((e) => /reading again failed/.test(e.textContent)), null, { timeout: 60000 });
  assert.equal(await score(), after, 'the clusters are still there');
  assert.equal(await page.isDisabled('#correlation-reread'), false, 'and can be read again');
  await page.unroute(/\/security\/alerts_v2\?/);
  // The refused requests themselves are the only problems.
  page.problems = page.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'));
  assertClean(page);
});

test('an alert resolved in the queue is resolved in the clusters read before, without reading them again', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  let listings = 0;
  // The correlation pages read every alert in pages of 2,000; the queue reads its own.
  page.on('request', (r) => { if (r.method() === 'GET' && /\/security\/alerts_v2\?.*\$top=2000/.test(decodeURIComponent(r.url()))) listings += 1; });
  const story = stories[2];
  await analystWith(page, ['SecurityAlert.ReadWrite.All'], `/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await page.waitForSelector('#cluster-alerts li', { timeout: 60000 });
  const key = await page.getAttribute('#cluster-detail', 'data-key');
  const scoreOf = `li.cluster[data-key="${key}"] .cluster-score`;
  const before = await page.textContent(scoreOf);
  const read = listings;
  const id = await openAlertOfCluster(page);
  // To the queue's detail pane, resolve it there, and back.
  await page.click(`#cluster-alerts li[data-id="${id}"] a`);
  await page.waitForSelector(`#alert-detail[data-id="${id}"] #triage-save:not([disabled])`, { timeout: 30000 });
  await page.selectOption('#triage-status', 'resolved');
  await page.fill('#triage-comment', 'Part of the attack the cluster shows');
  await page.click('#triage-save');
  await page.waitForSelector('#triage-saved', { timeout: 30000 });
  assert.equal((await graph(page, `/security/alerts_v2/${encodeURIComponent(id)}`)).status, 'resolved');
  await page.goBack();
  await page.waitForSelector(scoreOf, { timeout: 60000 });
  await page.waitForFunction(([sel, b]) => document.querySelector(sel)?.textContent !== b, [scoreOf, before], { timeout: 10000 });
  assert.equal(listings, read, 'no alert was read again');
  assertClean(page);
});

test('an emulator started with --import of an NDJSON export serves those alerts, and they correlate', async () => {
  const page = await openPage(browser);
  watchTokens(page);
  await signIn(page, 'analyst', '/');
  const story = stories[0];
  const alerts = await allAlerts(page);
  const picked = new Set(story.alert_ids);
  // The story and some other alerts, as an NDJSON export.
  for (const a of alerts.slice(0, 40)) picked.add(a.id);
  const exported = alerts.filter((a) => picked.has(a.id));
  assert.equal(exported.length, picked.size);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
  const file = join(dir, 'export.ndjson');
  await writeFile(file, exported.map((a) => JSON.stringify(a)).join('\n') + '\n');
  const emu = await startEmulator(['--import', file]);

  const other = await openPage(browser);
  watchTokens(other);
  await signIn(other, 'analyst', '/correlation?alerts=1', emu.app);
  await other.waitForSelector('#cluster-count', { timeout: 60000 });
  assert.match(await other.textContent('#cluster-count'), new RegExp(`from ${exported.length} alerts`));
  const served = await allAlerts(other, emu.graph);
  assert.deepEqual(served.map((a) => a.id).sort(), [...picked].sort(), 'the emulator serves exactly the export');
  await other.goto(`${emu.app}/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await other.waitForSelector('#cluster-detail', { timeout: 60000 });
  const shown = await other.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id));
  for (const id of story.alert_ids) assert.ok(shown.includes(id), `the imported story keeps ${id} in its cluster`);
  assertClean(other);
  assertClean(page);
});

test('the incident page says which cluster its alerts are part of, and links to it', async () => {
  const page = await openPage(browser);
  const story = stories[0];
  const incident = story.incident_ids[0];
  await signIn(page, 'analyst', `/incidents?incident=${encodeURIComponent(incident)}`);
  await page.waitForSelector('#incident-cluster-list a.incident-cluster-link', { timeout: 60000 });
  assert.match(await page.textContent('#incident-cluster-list'), /of this incident's alerts (is|are) part of a \d+-alert cluster across \d+ providers?/);
  await page.click('#incident-cluster-list a.incident-cluster-link');
  await page.waitForSelector('#cluster-detail', { timeout: 60000 });
  const shown = await page.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id));
  assert.ok(story.alert_ids.some((id) => shown.includes(id)), 'the cluster holds the story');
  assertClean(page);
});
