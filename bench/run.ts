/**
 * `npm run bench`: for each main operation, the REST calls the app makes next to the minimum possible, wall
 * time with 0 / 100 / 300 ms injected latency per product request, and peak memory; then the gzipped size of
 * each Custom UI bundle and the time for the macro to become interactive in headless chromium.
 * Figures are printed, never asserted. `npm run bench -- <operation>` runs one (see OPERATIONS).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { LocalSite } from '../local-site/site';
import { startSiteServers } from '../local-site/web/server';
import { ADMIN_ID, EDITOR_ID } from '../local-site/state/users';
import { APP_ACCOUNT_ID } from '../local-site/jira/render';
import { ONCALL_PAGE_ID } from '../local-site/confluence/seed';
import type { LoadedPostmortem, SaveOutcome } from '../src/contract/postmortem-macro';
import type { CreateRun, LiveIssue } from '../src/contract/action-items';
import type { ActionItem } from '../src/contract/postmortem';
import type { ReportPage } from '../src/contract/report';
import type { Result } from '../src/contract/result';
import { seedPostmortemIndex } from './seed-index';
import type { AppIssueRecord } from '../src/store/app-issues';
import { keyPart } from '../src/store/storage-keys';
import api, { route } from '@forge/api';

const LOCAL_ID = 'bench-0000-4000-8000-000000000001';
/** Queue events the site runs side by side, as the platform runs a queue's events in parallel. */
const QUEUE_CONCURRENCY = 10;
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,100,300').split(',').map(Number);

type Row = Record<string, string | number>;

function unwrap<T>(r: unknown): T {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.value;
}

/** Samples the heap while `work` runs: the peak above what was in use when it started. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const started = Date.now();
  try {
    const value = await work();
    const ms = Date.now() - started;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, ms, peakMb: Math.round(((peak - base) / 1024 / 1024) * 10) / 10 };
  } finally {
    clearInterval(timer);
  }
}

const productCalls = (site: LocalSite) => site.log.entries.filter((e) => e.product === 'jira' || e.product === 'confluence');

function macroCaller(site: LocalSite) {
  return (functionKey: string, payload?: unknown) =>
    site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } });
}

async function postmortemWithItems(site: LocalSite, n: number): Promise<void> {
  const call = macroCaller(site);
  const loaded = unwrap<LoadedPostmortem>(await call('loadPostmortem'));
  const items: ActionItem[] = Array.from({ length: n }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' }));
  unwrap<SaveOutcome>(await call('savePostmortem', { postmortem: { ...loaded.postmortem, incidentKey: 'INC-1', actionItems: items }, base: loaded.postmortem, baseVersion: 0 }));
}

function row(operation: string, size: string, latencyMs: number, site: LocalSite, minimum: number, m: { ms: number; peakMb: number }, note = ''): Row {
  const calls = productCalls(site).length;
  return { operation, size, 'latency ms': latencyMs, 'REST calls': calls, minimum, ratio: Math.round((calls / minimum) * 100) / 100, 'wall ms': m.ms, 'peak heap MB': m.peakMb, note };
}

async function benchCreateIssues(n: number, latencyMs: number): Promise<Row> {
  const site = new LocalSite({ stateFile: null, contract: 'off' }).install();
  const call = macroCaller(site);
  await postmortemWithItems(site, n);
  site.log.clear();
  site.faults.latencyMs = latencyMs;
  site.queueConcurrency = QUEUE_CONCURRENCY;
  const m = await measured(async () => {
    let run = unwrap<CreateRun>(await call('createIssues', {}));
    if (run.status !== 'done') {
      await site.drainQueue();
      run = unwrap<CreateRun>(await call('getCreateRun', { runId: run.runId }));
    }
    return run;
  });
  const created = m.value.outcomes.filter((o) => o.state === 'created').length;
  // ceil(N/50) bulk creates + one remote link per issue; everything else is overhead.
  const r = row('create issues', `${n} items`, latencyMs, site, Math.ceil(n / 50) + n, m, `${created} created, ${n > 20 ? 'queue' : 'inline'}`);
  r['per-item tool'] = await perItemTool(site, n);
  site.close();
  return r;
}

/**
 * The same N action items created the way a per-item tool does it (Netflix Dispatch's Jira plugin: for each item
 * look the owner up, create the issue, link it back), on the same local site in the same process: its REST
 * calls, so the ratio against that approach is measured, not assumed. No exactly-once, no permission checks.
 */
async function perItemTool(site: LocalSite, n: number): Promise<number> {
  site.log.clear();
  site.faults.latencyMs = 0;
  await site.asInvocation(undefined, async () => {
    const jira = api.asApp();
    const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
    for (let i = 0; i < n; i += 1) {
      await jira.requestJira(route`/rest/api/3/user/search?query=${'Eden'}`);
      const res = await jira.requestJira(route`/rest/api/3/issue`, { method: 'POST', headers: json, body: JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: `Per-item ${i}` } }) });
      const { key } = (await res.json()) as { key: string };
      await jira.requestJira(route`/rest/api/3/issue/${key}/remotelink`, { method: 'POST', headers: json, body: JSON.stringify({ object: { url: `${site.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`, title: 'Postmortem' } }) });
    }
  });
  return productCalls(site).length;
}

async function benchLoadWithLive(n: number, latencyMs: number): Promise<Row> {
  const site = new LocalSite({ stateFile: null, contract: 'off' }).install();
  const call = macroCaller(site);
  await postmortemWithItems(site, n);
  unwrap<CreateRun>(await call('createIssues', {}));
  await site.drainQueue();
  site.log.clear();
  site.faults.latencyMs = latencyMs;
  // What the macro does when it opens: load the document, with the items' live state from Jira (one invoke; the
  // macro asks getLiveIssues only when the load could not include it).
  const m = await measured(async () => {
    const loaded = unwrap<LoadedPostmortem>(await call('loadPostmortem'));
    const live = loaded.live ?? unwrap<LiveIssue[]>(await call('getLiveIssues'));
    return { loaded, live };
  });
  // One page-property read + one search (≤ 100 keys) is the least any design could do.
  const r = row('open postmortem + live status', `${n} items`, latencyMs, site, 2, m, `${m.value.live.filter((l) => l.visible).length} live rows`);
  site.close();
  return r;
}

/** Arranges `open` open action-item issues in OPS (straight into the site's Jira), `due` of them unassigned. */
function seedOpenItems(site: LocalSite, open: number, due: number): void {
  const jira = site.state.jira;
  const ops = jira.projects.find((p) => p.key === 'OPS')!;
  const task = jira.issueTypes.find((t) => t.name === 'Task')!;
  const todo = jira.statuses.find((st) => st.statusCategory === 'new')!;
  const high = jira.priorities.find((p) => p.name === 'High')!;
  const now = site.now().toISOString();
  for (let i = 0; i < open; i += 1) {
    jira.counters.issueId += 1;
    jira.counters.perProject.OPS = (jira.counters.perProject.OPS ?? 0) + 1;
    jira.issues.push({
      id: String(jira.counters.issueId),
      key: `OPS-${jira.counters.perProject.OPS}`,
      projectId: ops.id,
      issueTypeId: task.id,
      statusId: todo.id,
      priorityId: high.id,
      assigneeId: i < due ? null : EDITOR_ID,
      reporterId: EDITOR_ID,
      summary: `Action item ${i}`,
      description: null,
      labels: ['postmortem', 'postmortem-action-item'],
      duedate: null,
      created: now,
      updated: now,
      resolutionId: null,
      resolutiondate: null,
      customFields: {},
      properties: {
        'postmortem-action-item': { itemId: `${ONCALL_PAGE_ID}/bench/${i}`, pageId: ONCALL_PAGE_ID, localId: 'bench', postmortemTitle: 'Bench postmortem', pageUrl: `${site.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`, incidentKey: null, createdAt: now },
      },
      comments: [],
      remoteLinks: [],
    });
    // The app's own record of the issue, as its create run writes it (src/store/app-issues.ts): the follow-up job
    // and the report act only on issues the app created.
    const record: AppIssueRecord = { issueId: String(jira.counters.issueId), issueKey: `OPS-${jira.counters.perProject.OPS}`, itemRef: `${ONCALL_PAGE_ID}/bench/${i}`, pageId: ONCALL_PAGE_ID, localId: 'bench', postmortemTitle: 'Bench postmortem', incidentKey: null, siteUrl: site.baseUrl, createdAt: now };
    site.state.platform.kvs.values[`app-issue:${keyPart(record.issueId)}`] = { value: record, createdAt: Date.now(), updatedAt: Date.now() };
  }
}

async function benchFollowUps(open: number, latencyMs: number): Promise<Row> {
  const due = open / 10;
  // A Tuesday, so that the business-day rule lets the run happen.
  const site = new LocalSite({ stateFile: null, contract: 'off', startAt: new Date('2026-11-03T08:00:00Z') }).install();
  seedOpenItems(site, open, due);
  site.log.clear();
  site.faults.latencyMs = latencyMs;
  site.queueConcurrency = QUEUE_CONCURRENCY;
  const m = await measured(async () => {
    await site.runScheduledTrigger('pft-daily-follow-up');
    await site.drainQueue();
  });
  const comments = site.state.jira.issues.reduce((n, i) => n + i.comments.length, 0);
  const runs = site.invocations.filter((i) => i.kind === 'trigger' || i.kind === 'consumer');
  const longest = Math.max(...runs.map((r) => r.ms));
  const pushes = site.log.entries.filter((e) => e.product === 'queue');
  const storage = site.log.count({ product: 'kvs' });
  process.stderr.write(`  follow-ups ${open} open / ${due} due at ${latencyMs} ms: ${runs.length - 1} queue events, ${pushes.length} push requests, ${storage} storage operations, longest run ${longest} ms of 900,000, peak heap ${m.peakMb} MB\n`);
  // One comment per due item, and one search page (100 issues) per 100 due items: JQL does the filtering. The
  // seeded incidents resolved without a postmortem get their one reminder each, found by one more search.
  const reminders = site.state.jira.issues.filter((i) => i.key.startsWith('INC-')).reduce((n, i) => n + i.comments.filter((c) => c.authorId === APP_ACCOUNT_ID).length, 0);
  const r = row('daily follow-up run', `${open} open, ${due} due`, latencyMs, site, due + Math.ceil(due / 100) + reminders + 1, m, `${comments} comments (${reminders} incident reminders), ${runs.length - 1} events in ${pushes.length} pushes, ${storage} storage ops, longest run ${longest} ms = ${((longest / 900_000) * 100).toFixed(2)} % of 900 s`);
  site.close();
  return r;
}

async function benchReportFirstPage(items: number, latencyMs: number): Promise<Row[]> {
  const site = new LocalSite({ stateFile: null, contract: 'off', startAt: new Date('2026-11-03T08:00:00Z') }).install();
  seedOpenItems(site, items, items / 5);
  site.faults.latencyMs = latencyMs;
  const firstPage = () => site.invokeUi('pft-follow-through', { functionKey: 'getReportPage', payload: {} }, { accountId: ADMIN_ID });
  const rows: Row[] = [];
  // Cold: nobody opened a report, a gadget or ran the follow-ups in the last 10 minutes, so Jira's default priority
  // is looked up (src/services/default-priority.ts); then warm, as the same report's summary, next filter or page is.
  for (const [label, note] of [
    ["report's first page (cold)", 'Jira default priority looked up, kept 10 min'],
    ["report's first page", 'default priority known'],
  ] as const) {
    site.log.clear();
    const m = await measured(async () => unwrap<ReportPage>(await firstPage()));
    // One search page is the least: the report pages through Jira, it never loads all items.
    rows.push(row(label, `${items} open items`, latencyMs, site, 1, m, `${m.value.rows.length} rows, more: ${m.value.nextPageToken ? 'yes' : 'no'}; ${note}`));
  }
  site.close();
  return rows;
}

async function benchIndex(postmortems: number, latencyMs: number): Promise<Row> {
  const site = new LocalSite({ stateFile: null, contract: 'off' }).install();
  const seeded = await seedPostmortemIndex(site, postmortems);
  site.log.clear();
  site.faults.latencyMs = latencyMs;
  const m = await measured(() => seeded.firstPage(ADMIN_ID));
  const r = row('postmortem index, first page', `${postmortems} postmortems`, latencyMs, site, seeded.minimumCalls, m, m.value);
  site.close();
  return r;
}

function bundleSizes(): Row[] {
  const root = path.join(__dirname, '..', 'static');
  return fs
    .readdirSync(root)
    .filter((app) => fs.existsSync(path.join(root, app, 'build')))
    .map((app) => {
      const files: string[] = [];
      const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : files.push(path.join(dir, d.name))));
      walk(path.join(root, app, 'build'));
      const code = files.filter((f) => /\.(js|css|html)$/.test(f));
      const raw = code.reduce((n, f) => n + fs.statSync(f).size, 0);
      const gz = code.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
      // Issue 15's targets: the macro (the heaviest surface) ≤ 100 KB gzipped, every other resource ≤ 80 KB.
      const target = app === 'postmortem' ? 100 : 80;
      const gzKb = Math.round(gz / 102.4) / 10;
      // zod's own identifiers survive minification (`_zod` on every schema, `jitless` in its config): no UI
      // validates with zod, so none should carry it (issue 14).
      const js = code.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      const zod = /\b_zod\b|\bjitless\b|\$ZodError/.test(js) ? 'YES' : 'no';
      return { 'Custom UI app': app, files: code.length, 'raw KB': Math.round(raw / 102.4) / 10, 'gzipped KB': gzKb, 'target KB': target, 'within target': gzKb <= target ? 'yes' : 'NO', 'contains zod': zod };
    });
}

/** Where a module comes from, for the bundle report: its npm package, or the app's own folder. */
function moduleGroup(id: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (pkg) return pkg[1] ?? id;
  const own = /^(static\/[^/]+|src\/[^/]+)/.exec(id);
  return own ? (own[1] ?? id) : id.split('/')[0] ?? id;
}

/**
 * What each bundle holds (from the build's `bundle-report.json`, written beside each build by scripts/build-ui.mjs):
 * per chunk, the largest sources by their size before minification, grouped by npm package or app folder.
 */
function bundleContents(): Row[] {
  const root = path.join(__dirname, '..', 'static');
  const rows: Row[] = [];
  for (const app of fs.readdirSync(root).filter((a) => fs.existsSync(path.join(root, a, 'bundle-report.json')))) {
    const report = JSON.parse(fs.readFileSync(path.join(root, app, 'bundle-report.json'), 'utf8')) as { chunks: { file: string; modules: { id: string; bytes: number }[] }[] };
    for (const chunk of report.chunks) {
      const total = chunk.modules.reduce((n, m) => n + m.bytes, 0);
      const groups = new Map<string, number>();
      for (const m of chunk.modules) groups.set(moduleGroup(m.id), (groups.get(moduleGroup(m.id)) ?? 0) + m.bytes);
      const top = [...groups].sort((a, b) => b[1] - a[1]).slice(0, 6);
      rows.push({ 'Custom UI app': app, chunk: chunk.file.replace(/^assets\//, '').replace(/-[\w-]{8}\.js$/, '.js'), 'KB before minify': Math.round(total / 102.4) / 10, 'largest parts (% of the chunk)': top.map(([g, b]) => `${g} ${Math.round((b / total) * 100)}%`).join(', ') });
    }
  }
  return rows;
}

/** Action items on the postmortem whose time to interactive is measured (issue 15's target is for 50). */
const TTI_ITEMS = 50;

/**
 * Put into every frame before its own scripts (a string: the bench is typed without the DOM's types). In the macro's
 * iframe it checks, between tasks from the start (a 0 ms timer: it cannot run while a render task holds the main
 * thread), whether all `n` items hold the stored document's titles and neither they nor the Summary field are
 * disabled, and keeps the time of the first check where they do: the items are in the page and the frame is free
 * to take input. In-page, so the time does not depend on when Playwright's own round trips get to look. (Not
 * requestAnimationFrame: Chromium may hold animation frames back in a cross-origin iframe, and runs then timed out.)
 */
const recordItemsUsable = (n: number) => `(() => {
  if (window === window.top) return;
  const usable = () => {
    const titles = [...document.querySelectorAll('li.item input[id$="-title"]')];
    const summary = document.getElementById('pm-summary');
    return titles.length === ${n} && titles[${n - 1}].value === 'Item ${n - 1}' && titles.every((t) => !t.disabled) && summary !== null && !summary.disabled;
  };
  const check = () => (usable() ? (window.__itemsUsableAt = Date.now()) : setTimeout(check, 0));
  setTimeout(check, 0);
})()`;

/**
 * Macro time to interactive, in Debian's headless chromium, over a cold cache (a new browser context per run):
 * from the navigation start of the Confluence page (the host page's `performance.timeOrigin`) to the first frame
 * the macro's iframe renders with the postmortem usable — all TTI_ITEMS action items rendered from the stored
 * document (the last one's title is there) and editable (no field disabled), the Summary field too. It takes in
 * the whole chain: the host page, the iframe, the bundle, the bridge, the macro's invoke(s) through the site's
 * server (with the injected latency on each product request the resolver makes), and the render. The check runs
 * inside the iframe between tasks (recordItemsUsable, installed by the bench; the app has no part in it), so it
 * holds only once the task that rendered the items is over, not while the main thread is still busy with them.
 */
async function macroTimeToInteractive(runs: number): Promise<Row[]> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) return [{ measure: 'macro time to interactive', result: `skipped: no chromium at ${executablePath}` }];
  const { chromium } = await import('playwright-core');
  const out: Row[] = [];
  for (const latencyMs of LATENCIES) {
    const site = new LocalSite({ stateFile: null, contract: 'off' }).install();
    await postmortemWithItems(site, TTI_ITEMS);
    const servers = await startSiteServers(site);
    // The macro is on the page only once the editor has put it there.
    site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
    site.faults.latencyMs = latencyMs;
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    const times: number[] = [];
    const phases = { frame: [] as number[], bundle: [] as number[], invoke: [] as number[] };
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ baseURL: site.baseUrl });
      await context.addCookies([{ name: 'site-user', value: encodeURIComponent(EDITOR_ID), url: site.baseUrl }]);
      await context.addInitScript(recordItemsUsable(TTI_ITEMS));
      const tab = await context.newPage();
      await tab.goto(`/wiki/pages/${ONCALL_PAGE_ID}`, { waitUntil: 'commit' });
      const frame = await (await tab.waitForSelector('iframe.forge-frame', { state: 'attached' })).contentFrame();
      if (!frame) throw new Error('The macro has no iframe');
      // Polled from here with evaluate (the frame's CSP refuses the eval that waitForFunction would need); the time
      // itself was taken in the frame, so the polling interval does not count.
      let usableAt: number | undefined;
      for (const until = Date.now() + 60_000; usableAt === undefined && Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        usableAt = await frame.evaluate(() => (globalThis as { __itemsUsableAt?: number }).__itemsUsableAt);
      }
      if (usableAt === undefined) {
        const shown = await frame.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.slice(0, 300)).catch((e: Error) => e.message);
        throw new Error(`The macro did not show its items within 60 s; it shows: ${shown}`);
      }
      const navigationStart = await tab.evaluate(() => performance.timeOrigin);
      times.push(Math.round(usableAt - navigationStart));
      // Where the time went: the frame's navigation start and its DOMContentLoaded (the bundle has run by then,
      // module scripts are deferred), and the end of the first invoke as the host page fetched it.
      const inFrame = await frame.evaluate<{ origin: number; dcl: number }>(
        `(() => { const nav = performance.getEntriesByType('navigation')[0]; return { origin: performance.timeOrigin, dcl: nav ? nav.domContentLoadedEventEnd : NaN }; })()`,
      );
      const invokeEnd = await tab.evaluate<number>(`(performance.getEntriesByType('resource').find((e) => e.name.includes('/__site/bridge/invoke')) || { responseEnd: NaN }).responseEnd`);
      phases.frame.push(inFrame.origin - navigationStart);
      phases.bundle.push(inFrame.origin + inFrame.dcl - navigationStart);
      phases.invoke.push(invokeEnd);
      await context.close();
    }
    await browser.close();
    await servers.close();
    site.close();
    times.sort((a, b) => a - b);
    const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN);
    out.push({
      measure: 'macro time to interactive',
      items: TTI_ITEMS,
      'latency ms': latencyMs,
      runs,
      'median ms': median(times),
      'worst ms': times[times.length - 1],
      'all ms': times.join(' '),
      // Medians of each step, from the host page's navigation start: the frame starts loading, its bundle has run
      // (the load invoke is sent as the bundle runs), the load invoke is answered; the rest is the render.
      'frame starts': median(phases.frame),
      'bundle ran': median(phases.bundle),
      'load answered': median(phases.invoke),
      'load avg (1 min)': os.loadavg()[0].toFixed(1),
    });
  }
  return out;
}

const OPERATIONS: Record<string, () => Promise<Row[]>> = {
  load: async () => {
    const rows: Row[] = [];
    for (const l of LATENCIES) rows.push(await benchLoadWithLive(50, l));
    return rows;
  },
  create: async () => {
    const rows: Row[] = [];
    for (const l of LATENCIES) for (const n of [1, 50, 120]) rows.push(await benchCreateIssues(n, l));
    return rows;
  },
  'follow-ups': async () => {
    const rows: Row[] = [];
    for (const l of LATENCIES) for (const n of [1_000, 10_000]) rows.push(await benchFollowUps(n, l));
    return rows;
  },
  // Ten times the scale of the rows above, at 100 ms latency (issue 15): against Forge's limits.
  scale: async () => [await benchFollowUps(100_000, 100), await benchIndex(10_000, 100)],
  report: async () => {
    const rows: Row[] = [];
    for (const l of LATENCIES) rows.push(...(await benchReportFirstPage(5_000, l)));
    return rows;
  },
  index: async () => {
    const rows: Row[] = [];
    for (const l of LATENCIES) rows.push(await benchIndex(1_000, l));
    return rows;
  },
};

async function main(): Promise<void> {
  const only = process.argv[2];
  const names = only ? only.split(',') : [...Object.keys(OPERATIONS), 'bundles', 'interactive'];
  const table: Row[] = [];
  for (const name of names) {
    if (OPERATIONS[name]) {
      const rows = await OPERATIONS[name]();
      table.push(...rows);
      for (const r of rows) process.stderr.write(`  ${r.operation} · ${r.size} · ${r['latency ms']} ms latency: ${r['wall ms']} ms\n`);
    }
  }
  if (table.length) {
    console.log('\nREST calls vs the minimum possible, wall time and peak heap, per operation and injected latency per request (local site)');
    console.table(table);
  }
  if (names.includes('bundles')) {
    console.log('\nCustom UI bundles (static/*/build)');
    console.table(bundleSizes());
    console.log('\nWhat each bundle holds: per chunk, its largest parts before minification (an npm package or an app folder)');
    console.table(bundleContents());
  }
  if (names.includes('interactive')) {
    console.log(`\nThe postmortem macro (${TTI_ITEMS} action items): navigation start to the items rendered and editable, headless chromium, cold cache`);
    console.table(await macroTimeToInteractive(Number(process.env.BENCH_TTI_RUNS ?? 7)));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
