/**
 * Property-based fuzzing (fast-check) of every resolver and queue consumer, through the local site the way
 * the UI and the platform call them: arbitrary payloads, near-valid documents with one field broken, and
 * arbitrary module context (localId, page id, issue key, project key). Each call must answer with a typed
 * Result — a value, or a failure with a known code other than `internal` — never throw, and write nothing
 * (no Jira issue, comment or link, no Confluence page or property, no storage key, no queued event).
 *
 * Seeds are fixed (FUZZ_SEED, default below) and printed in the test names; FUZZ_RUNS scales the runs.
 */
import fc from 'fast-check';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { Postmortem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';
import { changeableState } from './support/state';

const SEED = Number(process.env.FUZZ_SEED ?? 7_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });
const LOCAL_ID = 'fuzz0000-0000-4000-8000-000000000001';
const CODES = ['invalid-input', 'forbidden', 'not-found', 'conflict', 'upstream'];

beforeEach(() => {
  // Refused input is logged by the app; the assertions say what matters.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** Everything the app could write: Jira, Confluence, Forge storage, the queue. */
const written = changeableState;

function expectTyped(label: string, r: unknown): void {
  const res = r as Result<unknown>;
  if (typeof res !== 'object' || res === null || typeof res.ok !== 'boolean') throw new Error(`${label}: not a Result: ${JSON.stringify(r)}`);
  if (!res.ok) {
    if (!CODES.includes(res.error.code) || typeof res.error.message !== 'string' || !res.error.message) {
      throw new Error(`${label}: untyped failure ${JSON.stringify(res.error)}`);
    }
  }
}

/** Arbitrary JSON-ish payloads, with some strings that mean something to JQL, HTML, paths and storage keys. */
const nasty = fc.constantFrom('', ' ', '"', '\\', "' OR 1=1 --", '" OR project = SEC OR "', '../../etc/passwd', '%2e%2e/', '<script>alert(1)</script>', 'INC-1', 'SEC-1', 'OPS', 'ops', '\u0000', '\u202e', 'x'.repeat(5000), '__proto__', 'constructor');
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), nasty);
const payload = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.dictionary(fc.oneof(text, fc.constantFrom('runId', 'itemIds', 'issueKey', 'projectKey', 'reason', 'text', 'pageToken', 'asOf', 'settings', 'postmortem', 'base', 'baseVersion', 'cursor', 'query', 'filters')), fc.oneof(text, fc.anything({ maxDepth: 2 })), { maxKeys: 5 }),
);

async function run(label: string, property: fc.IAsyncProperty<any>): Promise<void> {
  await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
  void label;
}

interface Target {
  module: string;
  functionKey: string;
  accountId: string;
  /** Context the product would pass; arbitrary when fuzzed. */
  extension?: Record<string, unknown>;
  localId?: string;
}

const macro = (functionKey: string, accountId = EDITOR_ID): Target => ({ module: 'pft-postmortem', functionKey, accountId, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } });

/** Resolver functions that must write nothing whatever the payload (writes need a valid payload). */
function targets(s: LocalSite): Target[] {
  const list: Target[] = [
    { module: 'pft-settings', functionKey: 'getSettings', accountId: EDITOR_ID },
    { module: 'pft-settings', functionKey: 'saveSettings', accountId: ADMIN_ID },
    { module: 'pft-settings', functionKey: 'saveSettings', accountId: VIEWER_ID },
    macro('loadPostmortem'),
    macro('savePostmortem'),
    macro('savePostmortem', VIEWER_ID),
    macro('createIssues', VIEWER_ID),
    macro('getCreateRun'),
    macro('getLiveIssues'),
    { module: 'pft-postmortems', functionKey: 'getIncidentPostmortem', accountId: EDITOR_ID },
    { module: 'pft-postmortems', functionKey: 'createPostmortemPage', accountId: EDITOR_ID },
    { module: 'pft-follow-through', functionKey: 'getReportSummary', accountId: EDITOR_ID },
    { module: 'pft-follow-through', functionKey: 'getReportPage', accountId: VIEWER_ID },
    { module: 'pft-follow-through-project', functionKey: 'getReportPage', accountId: EDITOR_ID, extension: { project: { key: 'OPS' } } },
    { module: 'pft-action-item-origin', functionKey: 'getOrigin', accountId: EDITOR_ID, extension: { issue: { key: 'OPS-1' } } },
    // The dashboard gadget (issue 16): its configuration comes from the context, its check from the payload.
    { module: 'pft-follow-through-gadget', functionKey: 'getGadgetView', accountId: VIEWER_ID, extension: { gadgetConfiguration: { scope: { kind: 'projects', projectKeys: ['OPS', 'SEC'] }, reasons: ['stale', 'unassigned'], rows: 3 } } },
    { module: 'pft-follow-through-gadget', functionKey: 'getGadgetEditOptions', accountId: EDITOR_ID },
    { module: 'pft-follow-through-gadget', functionKey: 'checkGadgetConfig', accountId: VIEWER_ID },
  ];
  // Resolvers other parts of the app add (postmortem index, publishing): read-only calls, when present.
  for (const [module, fns] of [
    ['pft-postmortem-index', ['getIndexOptions', 'getIndexPage', 'getInsights', 'searchPostmortems']],
    ['pft-postmortem', ['getPublishState', 'importIncidentTimeline']],
  ] as const) {
    if (s.manifest.uiModules.some((m) => m.key === module)) for (const functionKey of fns) list.push({ module, functionKey, accountId: EDITOR_ID });
  }
  return list;
}

/** A stored postmortem (no accepted items, so "create issues" has nothing to do) for the calls to read. */
async function arrange(s: LocalSite): Promise<{ doc: Postmortem; version: number }> {
  const loaded = (await s.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } })) as Result<LoadedPostmortem>;
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const doc: Postmortem = {
    ...loaded.value.postmortem,
    title: 'Checkout latency',
    summary: 'Checkout was slow.',
    incidentKey: 'INC-1',
    timeline: [{ id: 't1', at: '2026-11-01T10:00:00.000Z', kind: 'detection', text: 'Alert fired' }],
    actionItems: [{ id: 'a1', title: 'Add an alert', description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'proposed' }],
  };
  const saved = (await s.invokeUi('pft-postmortem', { functionKey: 'savePostmortem', payload: { postmortem: doc, base: loaded.value.postmortem, baseVersion: 0 } }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } })) as Result<SaveOutcome>;
  if (!saved.ok || saved.value.kind !== 'saved') throw new Error('not saved');
  return { doc: saved.value.postmortem, version: saved.value.version };
}

it(`every resolver answers arbitrary payloads with a typed Result and writes nothing (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  await arrange(s);
  const before = written(s);
  for (const t of targets(s)) {
    await run(`${t.module}.${t.functionKey}`, fc.asyncProperty(payload, async (p) => {
      const r = await s.invokeUi(t.module, { functionKey: t.functionKey, payload: p }, { accountId: t.accountId, localId: t.localId, extension: t.extension });
      expectTyped(`${t.module}.${t.functionKey}(${JSON.stringify(p)?.slice(0, 200)})`, r);
      if (written(s) !== before) throw new Error(`${t.module}.${t.functionKey} wrote something for ${JSON.stringify(p)?.slice(0, 200)}`);
    }));
  }
}, 120_000);

it(`every resolver answers arbitrary module context with a typed Result and writes nothing (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  await arrange(s);
  const before = written(s);
  const id = fc.oneof(text, fc.integer().map(String), fc.constantFrom(ONCALL_PAGE_ID, '65541', LOCAL_ID));
  const extension = fc.oneof(
    fc.record({ content: fc.record({ id: fc.oneof(id, fc.anything({ maxDepth: 1 })) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    fc.record({ issue: fc.record({ key: fc.oneof(id, fc.anything({ maxDepth: 1 })) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    fc.record({ project: fc.record({ key: fc.oneof(id, fc.anything({ maxDepth: 1 })) }, { requiredKeys: [] }), type: fc.constantFrom('jira:projectPage', 'macro', 'x') }, { requiredKeys: [] }),
    // A dashboard gadget's configuration: anyone who may edit the dashboard writes it.
    fc.record({
      gadgetConfiguration: fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.record({
          scope: fc.oneof(fc.record({ kind: fc.constant('projects'), projectKeys: fc.array(fc.oneof(text, fc.constantFrom('OPS', 'SEC', 'INC'))) }), fc.record({ kind: fc.constant('filter'), filterId: fc.oneof(text, fc.constantFrom('10000', '10001', '99999')) }), fc.anything({ maxDepth: 1 })),
          reasons: fc.oneof(fc.subarray(['overdue', 'unassigned', 'unprioritized', 'stale']), fc.array(text)),
          rows: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), text),
        }, { requiredKeys: [] }),
      ),
      entryPoint: fc.constantFrom('edit', 'x'),
    }, { requiredKeys: [] }),
  );
  for (const t of targets(s)) {
    // createPostmortemPage on the issue action takes its incident from the context: a real key there is a real request.
    await run(`${t.module}.${t.functionKey}`, fc.asyncProperty(extension, fc.option(id), payload, async (ext, localId, p) => {
      const r = await s.invokeUi(t.module, { functionKey: t.functionKey, payload: p }, { accountId: t.accountId, localId: localId ?? undefined, extension: ext });
      expectTyped(`${t.module}.${t.functionKey} with ${JSON.stringify(ext)?.slice(0, 200)}`, r);
      if (written(s) !== before) throw new Error(`${t.module}.${t.functionKey} wrote something with context ${JSON.stringify(ext)} / ${String(localId)}`);
    }));
  }
}, 120_000);

it(`the PDF/Word export answers any context with ADF, never a stray request (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  await arrange(s);
  const before = written(s);
  const id = fc.oneof(fc.string(), nasty, fc.integer().map(String), fc.constantFrom(ONCALL_PAGE_ID, '65541', LOCAL_ID));
  await run('postmortemExport', fc.asyncProperty(fc.option(id), fc.option(id), fc.constantFrom(EDITOR_ID, VIEWER_ID), async (pageId, localId, accountId) => {
    const adf = (await s.exportMacro('pft-postmortem', { accountId, localId: localId as string, extension: { content: { id: pageId } } })) as { type?: string; version?: number };
    if (adf?.type !== 'doc' || adf.version !== 1) throw new Error(`not ADF for ${pageId}/${localId}: ${JSON.stringify(adf).slice(0, 200)}`);
    if (written(s) !== before) throw new Error('the export wrote something');
  }));
}, 60_000);

it(`a saved postmortem with any one field broken is refused field by field, and nothing is stored (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  const { doc, version } = await arrange(s);
  const before = written(s);
  // Values that no field of the document accepts (booleans, objects with unknown keys), at any depth.
  const garbage = fc.oneof(fc.boolean(), fc.dictionary(fc.constantFrom('__x', '<img src=x onerror=alert(1)>', 'constructor'), fc.anything({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2 }));
  const topKeys = Object.keys(doc) as (keyof Postmortem)[];
  const broken = fc.oneof(
    fc.tuple(fc.constantFrom(...topKeys), garbage).map(([k, v]) => ({ pm: { ...doc, [k]: v }, path: String(k) })),
    fc.tuple(fc.constantFrom(...Object.keys(doc.actionItems[0])), garbage).map(([k, v]) => ({ pm: { ...doc, actionItems: [{ ...doc.actionItems[0], [k]: v }] }, path: `actionItems.0.${k}` })),
    fc.tuple(fc.constantFrom(...Object.keys(doc.timeline[0])), garbage).map(([k, v]) => ({ pm: { ...doc, timeline: [{ ...doc.timeline[0], [k]: v }] }, path: `timeline.0.${k}` })),
    fc.tuple(fc.string({ minLength: 1 }).filter((k) => !(k in doc)), fc.anything()).map(([k, v]) => ({ pm: { ...doc, [k]: v }, path: '' })),
    fc.string({ minLength: 256, maxLength: 400 }).map((title) => ({ pm: { ...doc, title }, path: 'title' })),
  );
  await run('savePostmortem', fc.asyncProperty(broken, fc.constantFrom(version, 0, -1, 1.5), async ({ pm, path }, baseVersion) => {
    const r = (await s.invokeUi('pft-postmortem', { functionKey: 'savePostmortem', payload: { postmortem: pm, base: doc, baseVersion } }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } })) as Result<SaveOutcome>;
    if (r.ok) throw new Error(`accepted a broken document (${path}): ${JSON.stringify(pm).slice(0, 300)}`);
    expectTyped('savePostmortem', r);
    if (r.error.code !== 'invalid-input') throw new Error(`expected invalid-input, got ${JSON.stringify(r.error)}`);
    if (path && baseVersion === version && !Object.keys(r.error.fieldErrors ?? {}).some((k) => k.startsWith(path) || path.startsWith(k) || k === 'postmortem')) {
      throw new Error(`no field error for ${path}: ${JSON.stringify(r.error.fieldErrors)}`);
    }
    if (written(s) !== before) throw new Error('a refused save wrote something');
  }));
}, 60_000);

it(`settings with any one field broken are refused, and nothing is stored (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  const before = written(s);
  const garbage = fc.oneof(fc.boolean(), fc.string(), fc.double(), fc.dictionary(fc.string(), fc.anything({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2 }), fc.array(fc.string(), { maxLength: 3 }));
  const keys = Object.keys(DEFAULT_SETTINGS) as (keyof typeof DEFAULT_SETTINGS)[];
  await run('saveSettings', fc.asyncProperty(fc.constantFrom(...keys), garbage, async (k, v) => {
    const settings = { ...DEFAULT_SETTINGS, [k]: v };
    const r = (await s.invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings } }, { accountId: ADMIN_ID })) as Result<unknown>;
    expectTyped('saveSettings', r);
    // A garbage value can happen to be valid (a boolean for businessDaysOnly, a known zone name...): then it is stored, as it should be.
    if (r.ok) {
      s.state.platform.kvs = JSON.parse(before)[3];
      return;
    }
    if (written(s) !== before) throw new Error(`a refused save (${k}) wrote something`);
  }));
}, 60_000);

it(`the queue consumers drop malformed events without writing or retrying (FUZZ_SEED=${SEED})`, async () => {
  const s = site();
  await arrange(s);
  const before = written(s);
  const validItems = { kind: 'items', runDate: '2026-11-02', defaultPriority: 'Medium', items: [{ key: 'OPS-1', assigneeId: null, priorityName: null, dueDate: null, updated: '2026-01-01T00:00:00.000+0000', item: { pageId: ONCALL_PAGE_ID, localId: LOCAL_ID, postmortemTitle: 'x', pageUrl: 'http://x' } }] };
  const validCreate = { runId: 'r1', pageId: ONCALL_PAGE_ID, localId: LOCAL_ID, pageUrl: 'http://x', itemIds: ['a1'], rest: [] };
  // Values no field accepts; and for the ids that end up in paths, storage keys and JQL, strings that are not ids.
  const garbage = fc.oneof(fc.boolean(), fc.integer(), fc.dictionary(fc.constantFrom('__x', '<b>'), fc.anything({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2 }));
  const badId = fc.constantFrom('../../x', 'OPS 1', '" OR 1=1', '', 'a/b', 'x'.repeat(101), 'OPS-1; DROP');
  const breakField = (obj: Record<string, unknown>) => {
    const ids = Object.keys(obj).filter((k) => ['key', 'pageId', 'localId', 'runId'].includes(k));
    return fc.oneof(
      fc.tuple(fc.constantFrom(...Object.keys(obj)), garbage).map(([k, v]) => ({ ...obj, [k]: v })),
      ...(ids.length ? [fc.tuple(fc.constantFrom(...ids), badId).map(([k, v]) => ({ ...obj, [k]: v }))] : []),
    );
  };
  const breakOne = (valid: Record<string, unknown>, nested?: { key: string; inner: Record<string, unknown> }) =>
    fc.oneof(breakField(valid), ...(nested ? [breakField(nested.inner).map((inner) => ({ ...valid, [nested.key]: [inner] }))] : []));
  const events = fc.oneof(
    fc.record({ queue: fc.constant('follow-ups'), body: fc.oneof(fc.anything({ maxDepth: 3 }), breakOne(validItems, { key: 'items', inner: validItems.items[0] })) }),
    fc.record({ queue: fc.constant('create-action-item-issues'), body: fc.oneof(fc.anything({ maxDepth: 3 }), breakOne(validCreate)) }),
  );
  await run('consumers', fc.asyncProperty(events, async ({ queue, body }) => {
    // Delivered the way the platform does: a queued event, run by the site's queue, retries included.
    s.state.platform.queue.push({ id: `fuzz-${Math.random()}`, queueKey: queue, jobId: 'fuzz', body, dueAt: s.now().getTime(), attempt: 0 });
    const invocations = s.invocations.length;
    await s.runDueEvents();
    const runs = s.invocations.slice(invocations);
    if (runs.length !== 1 || !runs[0].ok) throw new Error(`${queue}: ${JSON.stringify(body)?.slice(0, 200)} was retried or threw (${runs.length} runs)`);
    if (written(s) !== before) throw new Error(`${queue}: a malformed event wrote something: ${JSON.stringify(body)?.slice(0, 300)}`);
  }));
}, 60_000);
