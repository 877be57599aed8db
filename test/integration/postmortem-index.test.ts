/**
 * The postmortem index, insights and search on the local site: a seeded set of six postmortems saved through
 * the app's own macro resolver (one on a page the viewer cannot read, one whose action items live in a Jira
 * project the viewer cannot browse), figures checked against values computed by hand, filters, paging
 * across entity batches, permission filtering, and bad input.
 */
import type { Result } from '../../src/contract/result';
import type { IndexPage, IndexPageQuery, IndexRow, Insights, InsightsQuery, IndexOptions, SearchPage, SearchQuery } from '../../src/contract/postmortem-index';
import { useLocalSite } from './support/site';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ENG_HOME_ID, ONCALL_PAGE_ID, SECOPS_HOME_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';
import { upsertIndexEntry } from '../../src/store/postmortem-index';
import { newPostmortem } from '../../src/domain/postmortem-defaults';
import { K, seedPostmortems, timeline, value } from '../../local-site/demo/postmortems';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday; the app's settings count in UTC, 5 business days due
const site = useLocalSite({ startAt: START });
/** The six postmortems of local-site/demo/postmortems.ts (dates in its header). */
const arrange = (s: LocalSite) => seedPostmortems(s, START);

const call = (s: LocalSite, accountId: string, functionKey: string, payload: unknown, macro = false) =>
  macro
    ? s.invokeUi('pft-postmortem-index-macro', { functionKey, payload }, { accountId, localId: 'index-macro', extension: { content: { id: ENG_HOME_ID } } })
    : s.invokeUi('pft-postmortem-index', { functionKey, payload }, { accountId });
const indexPage = async (s: LocalSite, who: string, q: IndexPageQuery = {}) => value<IndexPage>(await call(s, who, 'getIndexPage', q));
const insights = async (s: LocalSite, who: string, q: InsightsQuery = {}) => value<Insights>(await call(s, who, 'getInsights', q));
const search = async (s: LocalSite, who: string, q: SearchQuery) => value<SearchPage>(await call(s, who, 'searchPostmortems', q));
const keys = (rows: { key: string }[]) => rows.map((r) => r.key);

it('lists what each viewer may see, newest incident first, with status, dates and action-item progress', async () => {
  const s = site();
  const { p1 } = await arrange(s);

  const all = await indexPage(s, EDITOR_ID);
  expect(keys(all.rows)).toEqual([K.p5, K.p3, K.p4, K.p2, K.p1, K.p6]);
  expect(all.nextPageToken).toBeNull();
  const row = (key: string, rows: IndexRow[] = all.rows) => rows.find((r) => r.key === key)!;
  expect(row(K.p1)).toEqual({
    key: K.p1,
    pageId: ONCALL_PAGE_ID,
    title: 'Checkout latency',
    pageTitle: 'On-call handbook',
    url: expect.stringMatching(new RegExp(`/wiki/spaces/ENG/pages/${ONCALL_PAGE_ID}/`)),
    spaceKey: 'ENG',
    status: 'published',
    severity: 'SEV1',
    incident: { key: 'INC-1', url: expect.stringMatching(/\/browse\/INC-1$/) },
    incidentAt: '2026-10-05T10:00:00.000Z',
    resolvedAt: '2026-10-05T12:00:00.000Z',
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
    publishedAt: expect.any(String),
    owner: 'Eden Editor',
    reviewMeetingAt: '2026-10-07T14:00:00.000Z',
    tags: ['checkout-api', 'detection'],
    items: { proposed: 0, accepted: 3, dropped: 1, created: 3, done: 1, open: 2, overdue: 1, hidden: 0 },
    timeToDetectMinutes: 20,
    timeToResolveMinutes: 120,
    draftOverdue: null,
  });
  expect(Object.keys(p1)).toHaveLength(3);
  // Drafts: P4 has waited 10 business days since its incident (no resolution in its timeline), P5 only 2.
  expect(row(K.p4)).toMatchObject({ status: 'draft', draftOverdue: { businessDays: 10 }, timeToResolveMinutes: null, resolvedAt: null, publishedAt: null, reviewMeetingAt: null });
  expect(row(K.p5)).toMatchObject({ status: 'draft', draftOverdue: null, items: { created: 1, open: 1, done: 0, overdue: 0, hidden: 0 } });
  expect(row(K.p3)).toMatchObject({ spaceKey: 'SECOPS', items: { created: 1, open: 1, overdue: 1, hidden: 0 } });

  // The viewer: no SECOPS page, and P6's SEC issues are counted as created but not shown.
  const viewer = await indexPage(s, VIEWER_ID);
  expect(keys(viewer.rows)).toEqual([K.p5, K.p4, K.p2, K.p1, K.p6]);
  expect(row(K.p6, viewer.rows).items).toEqual({ proposed: 0, accepted: 2, dropped: 0, created: 2, done: 0, open: 0, overdue: 0, hidden: 2 });
  expect(row(K.p6, all.rows).items).toEqual({ proposed: 0, accepted: 2, dropped: 0, created: 2, done: 1, open: 1, overdue: 0, hidden: 0 });
  expect(await indexPage(s, VIEWER_ID, { spaceKey: 'SECOPS' })).toMatchObject({ rows: [], nextPageToken: null });

  // The macro answers the same, for whoever views the page it sits on.
  expect(keys(value<IndexPage>(await call(s, VIEWER_ID, 'getIndexPage', {}, true)).rows)).toEqual(keys(viewer.rows));
  expect(value<IndexOptions>(await call(s, VIEWER_ID, 'getIndexOptions', {}, true))).toEqual({ spaces: [{ key: 'ENG', name: 'Engineering' }], dueBusinessDays: 5, timeZone: 'UTC', macro: true });
  expect(value<IndexOptions>(await call(s, EDITOR_ID, 'getIndexOptions', {}))).toMatchObject({ spaces: [{ key: 'ENG' }, { key: 'SECOPS' }], macro: false });

  // Built from the index: no page is read (only the one page-list lookup), one Jira search.
  s.log.clear();
  await indexPage(s, VIEWER_ID);
  expect(s.log.byEndpoint()).toEqual({ 'GET /wiki/api/v2/pages': 1, 'POST /rest/api/3/search/jql': 1, ...kvsOnly(s) });
});

/** The KVS calls of the last view (whatever they are), so the product calls can be compared exactly. */
function kvsOnly(s: LocalSite): Record<string, number> {
  return Object.fromEntries(Object.entries(s.log.byEndpoint()).filter(([k]) => k.includes('/api/v1/')));
}

it('filters by status, severity, space, tag and incident date', async () => {
  const s = site();
  await arrange(s);
  expect(keys((await indexPage(s, EDITOR_ID, { status: 'draft' })).rows)).toEqual([K.p5, K.p4]);
  expect(keys((await indexPage(s, EDITOR_ID, { severity: 'SEV1' })).rows)).toEqual([K.p3, K.p1]);
  expect(keys((await indexPage(s, VIEWER_ID, { severity: 'SEV1' })).rows)).toEqual([K.p1]);
  expect(keys((await indexPage(s, EDITOR_ID, { spaceKey: 'SECOPS' })).rows)).toEqual([K.p3]);
  // Tags match whole and case-insensitively: "checkout" alone matches nothing.
  expect(keys((await indexPage(s, EDITOR_ID, { tag: 'CHECKOUT-api' })).rows)).toEqual([K.p5, K.p3, K.p4, K.p1]);
  expect((await indexPage(s, EDITOR_ID, { tag: 'checkout' })).rows).toEqual([]);
  // Dates are whole days in the app's zone, both ends included.
  expect(keys((await indexPage(s, EDITOR_ID, { from: '2026-10-12', to: '2026-10-19' })).rows)).toEqual([K.p4, K.p2]);
  expect(keys((await indexPage(s, EDITOR_ID, { to: '2026-10-05' })).rows)).toEqual([K.p1, K.p6]);
  expect(keys((await indexPage(s, EDITOR_ID, { from: '2026-10-29' })).rows)).toEqual([K.p5]);
  expect(keys((await indexPage(s, EDITOR_ID, { status: 'draft', tag: 'checkout-api', severity: 'SEV3' })).rows)).toEqual([K.p4]);
});

it('computes the insights by hand-checkable rules, for what each viewer may see', async () => {
  const s = site();
  await arrange(s);
  const all = await insights(s, EDITOR_ID);
  expect(all).toMatchObject({ from: '2025-11-03', to: '2026-11-02', timeZone: 'UTC', postmortems: 6, truncated: false, repeatWindowDays: 90 });
  // TTD [5, 20, 30, 45, 60, 360]: median (30 + 45) / 2, p90 = 6th of 6. TTR [120, 120, 150, 180, 1440] (P4 unresolved).
  expect(all.detect.overall).toEqual({ count: 6, medianMinutes: 37.5, p90Minutes: 360 });
  expect(all.resolve.overall).toEqual({ count: 5, medianMinutes: 150, p90Minutes: 1440 });
  expect(all.detect.bySeverity).toEqual([
    { severity: 'SEV1', stats: { count: 2, medianMinutes: 12.5, p90Minutes: 20 } },
    { severity: 'SEV2', stats: { count: 2, medianMinutes: 37.5, p90Minutes: 45 } },
    { severity: 'SEV3', stats: { count: 2, medianMinutes: 210, p90Minutes: 360 } },
    { severity: 'SEV4', stats: { count: 0, medianMinutes: null, p90Minutes: null } },
  ]);
  expect(all.resolve.bySeverity.map((b) => [b.severity, b.stats.medianMinutes])).toEqual([['SEV1', 150], ['SEV2', 135], ['SEV3', 1440], ['SEV4', null]]);
  expect(all.detect.byMonth).toHaveLength(13);
  expect(all.detect.byMonth.filter((m) => m.stats.count)).toEqual([
    { month: '2026-09', stats: { count: 1, medianMinutes: 360, p90Minutes: 360 } },
    { month: '2026-10', stats: { count: 5, medianMinutes: 30, p90Minutes: 60 } },
  ]);
  expect(all.incidents.map((i) => [i.key, i.timeToDetectMinutes, i.timeToResolveMinutes])).toEqual([
    [K.p5, 30, 120], [K.p3, 5, 180], [K.p4, 60, null], [K.p2, 45, 150], [K.p1, 20, 120], [K.p6, 360, 1440],
  ]);
  // 9 issues: 4 done (close times 1, 2, 5.5 and 30 days), 5 open of which 2 are overdue; 1 item dropped.
  expect(all.actionItems).toEqual({ created: 9, done: 4, open: 5, overdue: 2, dropped: 1, hidden: 0, completionRate: 4 / 9, overdueShare: 2 / 5, timeToClose: { count: 4, medianDays: 3.8, p90Days: 30 } });
  // Reviews: P1, P3, P6 on time; P2 late (10 bd), P4 late (none after 10 bd); P5 pending.
  expect(all.reviews).toEqual({ dueBusinessDays: 5, onTime: 3, late: 2, pending: 1, shareOnTime: 0.6 });
  expect(all.repeats.map((r) => [r.tag, r.postmortems.map((p) => p.key), r.spanDays])).toEqual([
    ['checkout-api', [K.p1, K.p4, K.p3, K.p5], 24],
    ['detection', [K.p1, K.p2], 7],
  ]);

  // The viewer: P3 (SECOPS page) and P6's SEC issues are left out.
  const viewer = await insights(s, VIEWER_ID);
  expect(viewer.postmortems).toBe(5);
  expect(viewer.incidents.some((i) => i.key === K.p3)).toBe(false);
  expect(viewer.detect.overall).toEqual({ count: 5, medianMinutes: 45, p90Minutes: 360 });
  expect(viewer.actionItems).toEqual({ created: 6, done: 3, open: 3, overdue: 1, dropped: 1, hidden: 2, completionRate: 0.5, overdueShare: 1 / 3, timeToClose: { count: 3, medianDays: 2, p90Days: 5.5 } });
  expect(viewer.reviews).toEqual({ dueBusinessDays: 5, onTime: 2, late: 2, pending: 1, shareOnTime: 0.5 });
  expect(viewer.repeats.map((r) => [r.tag, r.postmortems.map((p) => p.key)])).toEqual([['checkout-api', [K.p1, K.p4, K.p5]], ['detection', [K.p1, K.p2]]]);
  expect(JSON.stringify(viewer)).not.toContain('Token leak');

  // A range and a severity narrow every figure.
  const october = await insights(s, EDITOR_ID, { from: '2026-10-01', to: '2026-10-31', severity: 'SEV1' });
  expect(october).toMatchObject({ postmortems: 2, detect: { overall: { count: 2, medianMinutes: 12.5 } }, actionItems: { created: 4, done: 1, overdue: 2 } });
  expect(october.detect.byMonth.map((m) => m.month)).toEqual(['2026-10']);
});

it('searches what failed and the action items across postmortems, only on pages the viewer can read', async () => {
  const s = site();
  await arrange(s);
  const found = await search(s, EDITOR_ID, { text: 'Monitoring' });
  expect(found.words).toEqual(['monitoring']);
  expect(keys(found.hits)).toEqual([K.p3, K.p2, K.p1]);
  expect(found.hits.find((h) => h.key === K.p1)!.matches).toEqual([
    { kind: 'what-failed', category: 'detection', text: 'The latency alert fired late: no synthetic monitoring of the payment page.' },
    { kind: 'action-item', title: 'Add synthetic monitoring to checkout', state: 'accepted', fromFailure: null, issueKey: expect.stringMatching(/^OPS-\d+$/) },
  ]);
  expect(keys((await search(s, VIEWER_ID, { text: 'monitoring' })).hits)).toEqual([K.p2, K.p1]);
  // Every word must appear in the postmortem; dropped items are searched too.
  expect(keys((await search(s, EDITOR_ID, { text: 'synthetic monitoring' })).hits)).toEqual([K.p3, K.p1]);
  expect((await search(s, EDITOR_ID, { text: 'rust' })).hits[0].matches).toEqual([{ kind: 'action-item', title: 'Rewrite checkout in Rust', state: 'dropped', fromFailure: null, issueKey: null }]);
  expect(keys((await search(s, EDITOR_ID, { text: 'runbook' })).hits)).toEqual([K.p3, K.p1]);
  expect(keys((await search(s, EDITOR_ID, { text: 'runbook', to: '2026-10-10' })).hits)).toEqual([K.p1]);
  // Text is looked for as words: quotes and JQL-looking text are just words.
  expect((await search(s, EDITOR_ID, { text: '" OR 1=1 --' })).hits).toEqual([]);
});

it('pages through more postmortems than one entity batch, skipping pages the viewer cannot see', async () => {
  const s = site();
  // 130 index entries written by the app's own store, every other one on the SECOPS page the viewer cannot read.
  await s.asInvocation(EDITOR_ID, async () => {
    for (let i = 0; i < 130; i++) {
      const pm = { ...newPostmortem({ title: `Incident ${i}`, actionItemProjectKey: 'OPS', actionItemIssueType: 'Task' }), timeline: timeline(new Date(Date.UTC(2026, 5, 1) + i * 3_600_000).toISOString(), new Date(Date.UTC(2026, 5, 1) + i * 3_600_000 + 60_000).toISOString()) };
      const hidden = i % 2 === 1;
      await upsertIndexEntry({ pageId: hidden ? SECOPS_HOME_ID : ONCALL_PAGE_ID, localId: `bulk-${String(i).padStart(3, '0')}`, spaceKey: hidden ? 'SECOPS' : 'ENG', postmortem: pm, now: START.toISOString() });
    }
  });
  const seen: IndexRow[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await indexPage(s, VIEWER_ID, { pageSize: 20, ...(token ? { pageToken: token } : {}) });
    seen.push(...page.rows);
    token = page.nextPageToken ?? undefined;
    pages++;
  } while (token);
  expect(pages).toBe(4);
  expect(seen).toHaveLength(65);
  expect(seen.every((r) => r.spaceKey === 'ENG')).toBe(true);
  // Newest first and each exactly once: bulk-128, bulk-126, ..., bulk-000.
  expect(seen.map((r) => r.key.split(':')[1])).toEqual(Array.from({ length: 65 }, (_, i) => `bulk-${String(128 - 2 * i).padStart(3, '0')}`));
  const editorFirst = await indexPage(s, EDITOR_ID, { pageSize: 100 });
  expect(editorFirst.rows).toHaveLength(100);
  const editorRest = await indexPage(s, EDITOR_ID, { pageSize: 100, pageToken: editorFirst.nextPageToken! });
  expect(editorRest.rows).toHaveLength(30);
  expect(editorRest.nextPageToken).toBeNull();
  expect((await insights(s, VIEWER_ID, { from: '2026-06-01', to: '2026-06-30' })).postmortems).toBe(65);
});

it('refuses bad input with a clear, typed error', async () => {
  const s = site();
  const fail = async (functionKey: string, payload: unknown) => {
    const r = (await call(s, EDITOR_ID, functionKey, payload)) as Result<unknown>;
    if (r.ok) throw new Error(`expected a failure for ${JSON.stringify(payload)}`);
    return r.error;
  };
  expect(await fail('getIndexPage', { status: 'done' })).toEqual({ code: 'invalid-input', message: 'The postmortem index cannot be shown for this request.', fieldErrors: { status: 'Pick draft, in review, reviewed or published.' } });
  expect(await fail('getIndexPage', { from: '2026-02-30' })).toMatchObject({ code: 'invalid-input', fieldErrors: { from: 'Use a date written YYYY-MM-DD.' } });
  expect(await fail('getIndexPage', { from: '2026-10-02', to: '2026-10-01' })).toMatchObject({ code: 'invalid-input', fieldErrors: { to: 'The end date comes before the start date.' } });
  expect(await fail('getIndexPage', { pageSize: 1000 })).toMatchObject({ code: 'invalid-input', fieldErrors: { pageSize: expect.any(String) } });
  expect(await fail('getIndexPage', { spaceKey: 'ENG" OR 1=1' })).toMatchObject({ code: 'invalid-input', fieldErrors: { spaceKey: 'Not a Confluence space key.' } });
  expect(await fail('getIndexPage', { jql: 'project = SEC' })).toMatchObject({ code: 'invalid-input', fieldErrors: { payload: expect.any(String) } });
  expect(await fail('getIndexPage', { pageToken: 'bm90LWEtdG9rZW4' })).toEqual({ code: 'invalid-input', message: 'These results have expired: reload the list.', fieldErrors: { pageToken: 'Reload the list.' } });
  expect(await fail('getInsights', { severity: 'SEV9' })).toMatchObject({ code: 'invalid-input', fieldErrors: { severity: 'Pick SEV1 to SEV4.' } });
  expect(await fail('searchPostmortems', { text: '  !!! ' })).toEqual({ code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word to look for.' } });
  expect(await fail('searchPostmortems', {})).toMatchObject({ code: 'invalid-input', fieldErrors: { text: expect.any(String) } });
});
