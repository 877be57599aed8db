/**
 * The follow-through report on the local site: exact counts per reason (agreeing with the follow-up job),
 * rows and reasons, paging, what a viewer who cannot see SEC gets, text search that cannot inject JQL,
 * invalid payloads, and a first page that costs the same few Jira requests for 30 items or 200.
 */
import type { ActionItem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import type { ReportPage, ReportPageQuery, ReportRow, ReportSummary } from '../../src/contract/report';
import { useLocalSite } from './support/site';
import { postmortemWithIssues as arrangeWithIssues } from '../support/arrange';
import { invokeUi, value, type UiArgs, type UiFunction } from '../support/ui-driver';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import type { LocalSite } from '../../local-site/site';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday
const site = useLocalSite({ startAt: START });
const OPS_PM = 'bbbbbbbb-0000-4000-8000-000000000001';
const SEC_PM = 'bbbbbbbb-0000-4000-8000-000000000002';
const THIRD_PM = 'bbbbbbbb-0000-4000-8000-000000000003';
const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };


const item = (id: string, title: string, over: Partial<ActionItem> = {}): ActionItem => ({ id, title, description: '', owner: eden, effort: 'low', impact: 'high', dueDate: '2027-03-01', state: 'accepted', ...over });

/** A postmortem saved and all its action items created through the app, as Eden; returns item id → issue key. */
async function postmortemWithIssues(s: LocalSite, localId: string, title: string, items: ActionItem[], projectKey = 'OPS'): Promise<Record<string, string>> {
  const keys = await arrangeWithIssues(s, localId, { title, incidentKey: 'INC-1', actionItemProjectKey: projectKey, actionItemIssueType: 'Task', actionItems: items });
  if (Object.values(keys).filter(Boolean).length !== items.length) throw new Error(`not all created: ${JSON.stringify(keys)}`);
  return keys;
}

const issue = (s: LocalSite, key: string) => s.state.jira.issues.find((i) => i.key === key)!;

type Where = { project?: string };
const reportCall = <F extends UiFunction<'pft-follow-through'>>(s: LocalSite, accountId: string, functionKey: F, payload: UiArgs<'pft-follow-through', F>[0], where: Where = {}) =>
  where.project
    ? invokeUi(s, 'pft-follow-through-project', accountId, { extension: { project: { key: where.project } } }, functionKey, payload)
    : invokeUi(s, 'pft-follow-through', accountId, {}, functionKey, payload);
const summary = async (s: LocalSite, accountId: string, payload: { projectKey?: string } = {}, where?: Where) => value<ReportSummary>(await reportCall(s, accountId, 'getReportSummary', payload, where));
const page = async (s: LocalSite, accountId: string, payload: ReportPageQuery = {}, where?: Where) => value<ReportPage>(await reportCall(s, accountId, 'getReportPage', payload, where));
const byKey = (rows: ReportRow[]) => Object.fromEntries(rows.map((r) => [r.key, r.reasons]));

/**
 * OPS: fine, unassigned, unprioritized (still Jira's default Medium, which the app did not record setting),
 * overdue, a team's item (unassigned; its Medium was set from its medium impact, a choice), stale (last update just before the 14-business-day cut-off), one just after it, and one
 * done. SEC (hidden from the viewer): one unassigned, one overdue.
 */
async function arrange(s: LocalSite) {
  const ops = await postmortemWithIssues(s, OPS_PM, 'Checkout latency', [
    item('fine', 'Rotate gateway certificates automatically'),
    item('unassigned', 'Alert on replication lag', { owner: null }),
    item('unprioritized', 'Document the failover runbook', { impact: 'medium', dueDate: null }),
    item('overdue', 'Load-test the checkout path'),
    item('team', 'Add a circuit breaker to the payment client', { owner: { kind: 'team', id: 'Payments', displayName: 'Payments' }, impact: 'medium', dueDate: null }),
    item('stale', 'Clean up the stale dashboards'),
    item('recent', 'Update the on-call rota'),
    item('done', 'Tidy the alert names', { owner: null }),
  ]);
  const sec = await postmortemWithIssues(s, SEC_PM, 'Session tokens after password reset', [item('sec-unassigned', 'Invalidate sessions on reset', { owner: null }), item('sec-overdue', 'Audit token lifetimes')], 'SEC');
  issue(s, ops.overdue).duedate = '2026-10-30';
  issue(s, sec['sec-overdue']).duedate = '2026-10-20';
  // 14 business days back from Monday 2 November (today counting as the first) is Wednesday 14 October.
  Object.assign(issue(s, ops.stale), { created: '2026-08-01T10:00:00.000Z', updated: '2026-10-13T23:59:00.000Z' });
  Object.assign(issue(s, ops.recent), { created: '2026-10-01T10:00:00.000Z', updated: '2026-10-14T00:01:00.000Z' });
  issue(s, ops.unassigned).created = '2026-10-20T10:00:00.000Z';
  issue(s, ops.unprioritized).created = '2026-09-15T10:00:00.000Z';
  // Created before the app recorded the priority it set from impact: its Medium is Jira's default, nobody's choice.
  delete (issue(s, ops.unprioritized).properties['postmortem-action-item'] as { impactPriority?: string }).impactPriority;
  issue(s, ops.done).statusId = s.state.jira.statuses.find((st) => st.statusCategory === 'done')!.id;
  return { ops, sec };
}

it('counts each reason exactly as the follow-up job decides, only over what the viewer can see', async () => {
  const s = site();
  const { ops, sec } = await arrange(s);

  const all = await summary(s, EDITOR_ID);
  expect(all.counts).toEqual({ open: 9, attention: 7, overdue: 2, unassigned: 3, unprioritized: 1, stale: 1 });
  expect(all.aging.map((b) => [b.label, b.count])).toEqual([['< 7 days', 5], ['7–30 days', 1], ['30–90 days', 2], ['> 90 days', 1]]);
  expect(all).toMatchObject({ project: null, projectFixed: false, outOfScope: false, rules: { staleAfterDays: 14, businessDaysOnly: true, unprioritized: "no priority or still at Jira's default priority (Medium) that nobody chose (not set from the item's impact), and no due date" } });
  expect(all.projects.map((p) => p.key)).toEqual(['INC', 'OPS', 'SEC']);

  // The viewer cannot browse SEC: not in the counts, not in the project list.
  const viewer = await summary(s, VIEWER_ID);
  expect(viewer.counts).toEqual({ open: 7, attention: 5, overdue: 1, unassigned: 2, unprioritized: 1, stale: 1 });
  expect(viewer.aging.map((b) => b.count)).toEqual([3, 1, 2, 1]);
  expect(viewer.projects.map((p) => p.key)).toEqual(['INC', 'OPS']);
  // The same on the OPS project page, whoever looks.
  for (const who of [EDITOR_ID, VIEWER_ID]) {
    const onPage = await summary(s, who, {}, { project: 'OPS' });
    expect(onPage).toMatchObject({ project: { key: 'OPS', name: 'Operations' }, projectFixed: true, projects: [] });
    expect(onPage.counts).toEqual(viewer.counts);
  }
  expect((await summary(s, EDITOR_ID, { projectKey: 'SEC' })).counts).toEqual({ open: 2, attention: 2, overdue: 1, unassigned: 1, unprioritized: 0, stale: 0 });

  // Rows: every open item, oldest first, with the job's reasons.
  const rows = (await page(s, EDITOR_ID)).rows;
  expect(rows.slice(0, 4).map((r) => r.key)).toEqual([ops.stale, ops.unprioritized, ops.recent, ops.unassigned]);
  expect(byKey(rows)).toEqual({
    [ops.fine]: [],
    [ops.unassigned]: ['unassigned'],
    [ops.unprioritized]: ['unprioritized'],
    [ops.overdue]: ['overdue'],
    [ops.team]: ['unassigned'],
    [ops.stale]: ['stale'],
    [ops.recent]: [],
    [sec['sec-unassigned']]: ['unassigned'],
    [sec['sec-overdue']]: ['overdue'],
  });
  const stale = rows.find((r) => r.key === ops.stale)!;
  expect(stale).toMatchObject({
    summary: 'Clean up the stale dashboards',
    projectKey: 'OPS',
    status: 'To Do',
    postmortem: { title: 'Checkout latency', incidentKey: 'INC-1', url: expect.stringContaining(`/wiki/`) },
    assignee: { accountId: EDITOR_ID, displayName: 'Eden Editor' },
    team: null,
    priority: 'High',
    dueDate: '2027-03-01',
    ageDays: 92,
    ageBucket: 'over-90',
    reasonText: ['nobody has updated it for 14 business days'],
    followUps: { count: 0, lastAt: null },
  });
  expect(rows.find((r) => r.key === ops.team)).toMatchObject({ assignee: null, team: 'payments', priority: 'Medium', dueDate: null });

  // Each filter is the same JQL as its count.
  for (const reason of ['overdue', 'unassigned', 'unprioritized', 'stale', 'any'] as const) {
    const filtered = (await page(s, EDITOR_ID, { reason })).rows;
    const expected = rows.filter((r) => (reason === 'any' ? r.reasons.length > 0 : r.reasons.includes(reason))).map((r) => r.key);
    expect([reason, filtered.map((r) => r.key).sort()]).toEqual([reason, expected.sort()]);
    expect(filtered.length).toBe(reason === 'any' ? all.counts.attention : all.counts[reason]);
  }
  const viewerRows = (await page(s, VIEWER_ID, { reason: 'any' })).rows;
  expect(viewerRows.map((r) => r.key).sort()).toEqual([ops.unassigned, ops.unprioritized, ops.overdue, ops.team, ops.stale].sort());
  expect((await page(s, VIEWER_ID)).rows.some((r) => r.projectKey === 'SEC')).toBe(false);

  // The follow-up job (as the app, so it sees SEC too) nags exactly the items the report flags for Eden.
  await s.runScheduledTrigger('pft-daily-follow-up');
  await s.drainQueue();
  const after = (await page(s, EDITOR_ID)).rows;
  expect(after.filter((r) => r.followUps.count > 0).map((r) => r.key).sort()).toEqual(rows.filter((r) => r.reasons.length).map((r) => r.key).sort());
  expect(after.find((r) => r.key === ops.stale)!.followUps).toEqual({ count: 1, lastAt: expect.any(String) });
});

it('turns stale on the site clock, in business days', async () => {
  const s = site();
  const keys = await postmortemWithIssues(s, OPS_PM, 'Checkout latency', [item('a', 'Alert on disk usage')]);
  s.state.platform.lastTriggerRun['pft-daily-follow-up'] = START.getTime() + 365 * 86_400_000; // no follow-up comments on the way
  // Monday 2 Nov + 17 days = Thursday 19 Nov: 13 business days since the last update.
  await s.advanceClock(17 * 86_400_000);
  expect((await summary(s, EDITOR_ID)).counts.stale).toBe(0);
  await s.advanceClock(86_400_000); // Friday: 14
  expect((await summary(s, EDITOR_ID)).counts.stale).toBe(1);
  expect((await page(s, EDITOR_ID, { reason: 'stale' })).rows.map((r) => [r.key, r.reasonText])).toEqual([[keys.a, ['nobody has updated it for 14 business days']]]);
});

it('pages through 120 items 50 at a time', async () => {
  const s = site();
  await postmortemWithIssues(s, OPS_PM, 'Checkout latency', Array.from({ length: 120 }, (_, i) => item(`i${i}`, `Action item ${i}`, { owner: null })));
  const first = await page(s, EDITOR_ID, { reason: 'unassigned' });
  expect(first.rows).toHaveLength(50);
  expect(first.nextPageToken).toEqual(expect.any(String));
  const second = await page(s, EDITOR_ID, { reason: 'unassigned', pageToken: first.nextPageToken!, asOf: first.asOf });
  expect(second.rows).toHaveLength(50);
  const third = await page(s, EDITOR_ID, { reason: 'unassigned', pageToken: second.nextPageToken!, asOf: first.asOf });
  expect(third.rows).toHaveLength(20);
  expect(third.nextPageToken).toBeNull();
  expect(new Set([...first.rows, ...second.rows, ...third.rows].map((r) => r.key)).size).toBe(120);
  expect((await summary(s, EDITOR_ID)).counts.unassigned).toBe(120);

  // A token with other filters, a made-up one, or a stale asOf: a plain "reload" message.
  const mismatched = (await reportCall(s, EDITOR_ID, 'getReportPage', { reason: 'stale', pageToken: first.nextPageToken!, asOf: first.asOf })) as Result<ReportPage>;
  expect(mismatched).toEqual({ ok: false, error: { code: 'invalid-input', message: 'These results have expired: reload the report.' } });
  const old = (await reportCall(s, EDITOR_ID, 'getReportPage', { reason: 'unassigned', pageToken: first.nextPageToken!, asOf: new Date(START.getTime() - 2 * 3_600_000).toISOString() })) as Result<ReportPage>;
  expect(old).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/reload/) } });
});

it('loads the first page and the counts with the same few Jira requests for 30 items as for 200', async () => {
  const s = site();
  const measure = async () => {
    s.log.clear();
    const p = await page(s, EDITOR_ID);
    const pageRequests = s.log.count({ product: 'jira' });
    s.log.clear();
    await summary(s, EDITOR_ID);
    return { rows: p.rows.length, pageRequests, summaryRequests: s.log.count({ product: 'jira' }) };
  };
  await postmortemWithIssues(s, OPS_PM, 'Checkout latency', Array.from({ length: 30 }, (_, i) => item(`i${i}`, `Action item ${i}`)));
  const small = await measure();
  // 170 more, in two more postmortems (a page stores at most 32 KB of postmortem).
  await postmortemWithIssues(s, SEC_PM, 'Session tokens', Array.from({ length: 85 }, (_, i) => item(`j${i}`, `Action item ${i}`)));
  await postmortemWithIssues(s, THIRD_PM, 'Search index lag', Array.from({ length: 85 }, (_, i) => item(`k${i}`, `Action item ${i}`)));
  const large = await measure();
  // The first page: 1 priority lookup (kept 10 minutes after) + 1 search. The summary: 1 project list +
  // 10 approximate counts + 1 search for items the app's own comment made look fresh (none here).
  expect(small).toEqual({ rows: 30, pageRequests: 2, summaryRequests: 12 });
  // Within 10 minutes of the lookup: the page is its one search.
  expect(large).toEqual({ rows: 50, pageRequests: 1, summaryRequests: 12 });
  expect(s.log.count({ product: 'jira', endpoint: '/rest/api/3/search/approximate-count' })).toBe(10);
});

it("asks Jira for its default priority at most every 10 minutes, and sees a changed default after that", async () => {
  const s = site();
  await postmortemWithIssues(s, OPS_PM, 'Checkout latency', [item('a', 'Alert on p99'), item('b', 'Add a runbook')]);
  const lookups = () => s.log.count({ product: 'jira', endpoint: '/rest/api/3/priority' });
  const before = lookups();
  await page(s, EDITOR_ID);
  await summary(s, EDITOR_ID);
  await page(s, EDITOR_ID, { reason: 'unprioritized' });
  expect(lookups() - before).toBe(1);
  const rules = async () => (await summary(s, EDITOR_ID)).rules.unprioritized;
  expect(await rules()).toMatch(/\(Medium\)/);

  // An admin makes High the default: the app still says Medium for up to 10 minutes, then High.
  for (const p of s.state.jira.priorities) p.isDefault = p.name === 'High';
  await s.advanceClock(9 * 60_000);
  expect(await rules()).toMatch(/\(Medium\)/);
  expect(lookups() - before).toBe(1);
  await s.advanceClock(2 * 60_000);
  expect(await rules()).toMatch(/\(High\)/);
  expect(lookups() - before).toBe(2);
});

it('searches summaries by words only: an injection attempt finds nothing and leaks nothing', async () => {
  const s = site();
  const { ops } = await arrange(s);
  expect((await page(s, EDITOR_ID, { text: 'runbook' })).rows.map((r) => r.key)).toEqual([ops.unprioritized]);
  expect((await page(s, EDITOR_ID, { text: 'CIRCUIT breaker', reason: 'unassigned' })).rows.map((r) => r.key)).toEqual([ops.team]);
  for (const text of ['" OR project = SEC OR summary ~ "', '\\" OR project = SEC OR summary ~ \\"', 'x" OR key is not empty ORDER BY key --']) {
    for (const who of [EDITOR_ID, VIEWER_ID]) {
      const r = (await reportCall(s, who, 'getReportPage', { text })) as Result<ReportPage>;
      expect(r).toEqual({ ok: true, value: expect.objectContaining({ rows: [], nextPageToken: null }) });
    }
  }
  const symbols = (await reportCall(s, EDITOR_ID, 'getReportPage', { text: '"")(*' })) as Result<ReportPage>;
  expect(symbols).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word from the summary.' } } });
});

it('refuses invalid payloads before building any JQL, and keeps the project page to its project', async () => {
  const s = site();
  const { ops } = await arrange(s);
  const bad: [string, unknown][] = [
    ['getReportPage', { reason: 'bogus' }],
    ['getReportPage', { projectKey: 'OPS" OR project = SEC' }],
    ['getReportPage', { text: 'x'.repeat(201) }],
    ['getReportPage', { text: 42 }],
    ['getReportPage', { pageToken: 'a b' }],
    ['getReportPage', { asOf: 'yesterday' }],
    ['getReportPage', { jql: 'project = SEC' }],
    ['getReportSummary', { projectKey: 'ops' }],
    ['getReportSummary', { projectKey: ['OPS'] }],
    ['getReportSummary', 'OPS'],
  ];
  for (const [functionKey, payload] of bad) {
    s.log.clear();
    // Payloads the contract forbids: sent past the typed driver, as a hostile iframe would.
    const r = (await s.invokeUi('pft-follow-through', { functionKey, payload }, { accountId: EDITOR_ID })) as Result<unknown>;
    expect([functionKey, payload, r]).toEqual([functionKey, payload, { ok: false, error: expect.objectContaining({ code: 'invalid-input', fieldErrors: expect.any(Object) }) }]);
    expect(s.log.count({ product: 'jira' })).toBe(0);
  }
  // A viewer asking for SEC by key gets a plain refusal, no counts.
  const sec = (await reportCall(s, VIEWER_ID, 'getReportSummary', { projectKey: 'SEC' })) as Result<ReportSummary>;
  expect(sec).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Jira could not report on project SEC: check that it exists and that you can see it.' } });
  // On the project page the page's project decides, whatever the payload says.
  const onPage = await page(s, EDITOR_ID, { projectKey: 'SEC' }, { project: 'OPS' });
  expect(onPage.rows.every((r) => r.projectKey === 'OPS')).toBe(true);
  expect(onPage.rows.map((r) => r.key)).toContain(ops.fine);
});

it('keeps to the projects in scope', async () => {
  const s = site();
  await arrange(s);
  value(await invokeUi(s, 'pft-settings', ADMIN_ID, {}, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, projectsInScope: ['SEC'] } }));
  const all = await summary(s, EDITOR_ID);
  expect(all.projects.map((p) => p.key)).toEqual(['SEC']);
  expect(all.counts.open).toBe(2);
  expect((await summary(s, VIEWER_ID)).counts.open).toBe(0);
  expect((await page(s, VIEWER_ID)).rows).toEqual([]);
  expect((await page(s, EDITOR_ID, { reason: 'any' })).rows.map((r) => r.projectKey)).toEqual(['SEC', 'SEC']);
  expect(await summary(s, EDITOR_ID, {}, { project: 'OPS' })).toMatchObject({ outOfScope: true, counts: { open: 0 } });
  const outside = (await reportCall(s, EDITOR_ID, 'getReportPage', { projectKey: 'OPS' })) as Result<ReportPage>;
  expect(outside).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { projectKey: expect.any(String) } } });
});
