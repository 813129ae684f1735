// Correlation: the analyst finds each planted attack as one cluster, sees why its alerts belong
// together, puts a hub back, and takes the case file away. The planted stories' answers come
// from the emulator's truth file (VIGIL_TRUTH_FILE), never from anything the app is served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { APP, launch, openPage, assertClean, screenshot, signIn, contosoStories } from './support.mjs';

let browser;
let stories;
before(async () => {
  browser = await launch();
  stories = await contosoStories();
  assert.ok(stories.length >= 3, `planted stories: ${stories.length}`);
});
after(async () => { await browser?.close(); });

/// The ranked list as shown: key and rank of every cluster.
async function ranked(page) {
  await page.waitForSelector('#clusters li.cluster', { timeout: 30000 });
  return page.$$eval('#clusters li.cluster', (lis) => lis.map((li) => ({ key: li.dataset.key, rank: Number(li.dataset.rank) })));
}

test('each planted story is exactly one top-five cluster, across its providers, joining its incidents', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/correlation');
  const list = await ranked(page);
  for (const story of stories) {
    const key = [...story.alert_ids].sort()[0];
    const entry = list.find((c) => c.key === key);
    assert.ok(entry, `${story.name}: its cluster (${key}) is listed`);
    assert.ok(entry.rank <= 5, `${story.name}: ranked ${entry.rank}, in the top five`);
    await page.goto(`${APP}/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
    await page.waitForSelector('#cluster-detail', { timeout: 30000 });
    const shown = await page.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id));
    assert.deepEqual([...shown].sort(), [...story.alert_ids].sort(), `${story.name}: the cluster is the story, nothing more`);
    for (const decoy of story.decoy_alert_ids) assert.ok(!shown.includes(decoy), `${story.name}: decoy ${decoy} stays out`);
    const providers = await page.$$eval('#cluster-alerts .provider-badge', (bs) => [...new Set(bs.map((b) => b.textContent.trim()))]);
    assert.equal(providers.length, story.providers.length, `${story.name}: spans its ${story.providers.length} providers (${providers})`);
    assert.ok((await page.$$('#cluster-reasons li')).length >= 1, `${story.name}: says why`);
    // Defender split it over several incidents; the cluster says they are one attack.
    assert.match(await page.textContent('#cluster-incidents'), /These \d+ incidents look like one attack/);
    const links = await page.$$eval('#cluster-incidents a.incident-link', (as) => as.map((a) => a.textContent.replace('#', '')));
    assert.deepEqual([...links].sort(), [...story.incident_ids].sort(), `${story.name}: its incidents, and only those, are named`);
  }
  await screenshot(page, 'correlation-cluster');
  assertClean(page);
});

test('a hub is listed with its share, and "include anyway" links through it again', async () => {
  const page = await openPage(browser);
  await signIn(page, 'analyst', '/correlation?alerts=1');
  await ranked(page);
  const hubs = await page.$$('#correlation-hubs-list li.hub');
  assert.ok(hubs.length >= 1, 'hubs are listed');
  assert.match(await hubs[0].textContent(), /\d+ alerts, \d+ % of the tenant's/);
  const before = await page.textContent('#cluster-count');
  const key = await hubs[0].getAttribute('data-key');
  await page.click('#correlation-hubs-list li.hub:first-child button.hub-toggle');
  await page.waitForFunction((k) => new URLSearchParams(location.search).getAll('include').includes(k), key);
  await page.waitForSelector(`#correlation-hubs-list li.hub[data-included="true"]`);
  await page.waitForFunction((b) => document.querySelector('#cluster-count')?.textContent !== b, before);
  const after = await page.textContent('#cluster-count');
  assert.notEqual(after, before, 'the clusters changed');
  assertClean(page);
});

test('the case file downloads with the cluster\'s alerts', async () => {
  const page = await openPage(browser);
  const story = stories[0];
  await signIn(page, 'analyst', `/correlation?cluster=${encodeURIComponent(story.alert_ids[0])}`);
  await page.waitForSelector('#cluster-detail', { timeout: 30000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#case-json')]);
  const bundle = JSON.parse(await readFile(await download.path(), 'utf8'));
  const ids = bundle.timeline.map((a) => a.id);
  const shown = await page.$$eval('#cluster-alerts li', (lis) => lis.map((li) => li.dataset.id));
  assert.deepEqual([...ids].sort(), [...shown].sort(), 'the case file holds the cluster\'s alerts');
  for (const id of story.alert_ids) assert.ok(ids.includes(id), `the case file has ${id}`);
  assert.match(download.suggestedFilename(), /^vigil-cluster-.*\.json$/);
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#case-markdown')]);
  const text = await readFile(await md.path(), 'utf8');
  const plain = text.replaceAll('\\', '');
  for (const id of story.alert_ids) assert.ok(plain.includes(id), `the Markdown names ${id}`);
  assertClean(page);
});
