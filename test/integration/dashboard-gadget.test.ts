/**
 * The dashboard gadget (issue 16) on the local site: its numbers are the report's for the same scope (projects
 * or a saved filter), a viewer who cannot browse SEC sees fewer, the configuration (person-writable) is checked
 * at the resolver's edge and a bad one changes nothing, and the overdue postmortems follow the reminder rule.
 */
import type { ActionItem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import type { ReportPage, ReportSummary } from '../../src/contract/report';
import type { GadgetConfig, GadgetEditOptions, GadgetView } from '../../src/contract/gadget';
import { useLocalSite } from './support/site';
import { postmortemWithIssues as arrangeWithIssues } from '../support/arrange';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { postmortemOverdue } from '../../src/domain/follow-up';
import type { LocalSite } from '../../local-site/site';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday
const site = useLocalSite({ startAt: START });
const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };

function value<T>(r: unknown): T {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(`expected ok, got ${JSON.stringify(res.error)}`);
  return res.value;
}


const item = (id: string, title: string, over: Partial<ActionItem> = {}): ActionItem => ({ id, title, description: '', owner: eden, effort: 'low', impact: 'high', dueDate: '2027-03-01', state: 'accepted', ...over });

/** A postmortem saved and its action items created through the app, as Eden; returns item id → issue key. */
function postmortemWithIssues(s: LocalSite, localId: string, title: string, items: ActionItem[], projectKey: string): Promise<Record<string, string>> {
  return arrangeWithIssues(s, localId, { title, incidentKey: 'INC-1', actionItemProjectKey: projectKey, actionItemIssueType: 'Task', actionItems: items });
}

const issue = (s: LocalSite, key: string) => s.state.jira.issues.find((i) => i.key === key)!;

/** OPS: fine, unassigned, overdue, stale; SEC (hidden from the viewer): unassigned, overdue. */
async function arrange(s: LocalSite) {
  const ops = await postmortemWithIssues(s, 'cccccccc-0000-4000-8000-000000000001', 'Checkout latency', [
    item('fine', 'Rotate gateway certificates automatically'),
    item('unassigned', 'Alert on replication lag', { owner: null }),
    item('overdue', 'Load-test the checkout path'),
    item('stale', 'Clean up the stale dashboards'),
  ], 'OPS');
  const sec = await postmortemWithIssues(s, 'cccccccc-0000-4000-8000-000000000002', 'Session tokens', [item('sec-unassigned', 'Invalidate sessions on reset', { owner: null }), item('sec-overdue', 'Audit token lifetimes')], 'SEC');
  issue(s, ops.overdue).duedate = '2026-10-30';
  issue(s, sec['sec-overdue']).duedate = '2026-10-20';
  Object.assign(issue(s, ops.stale), { created: '2026-08-01T10:00:00.000Z', updated: '2026-10-01T10:00:00.000Z' });
  issue(s, ops.unassigned).created = '2026-10-20T10:00:00.000Z';
  return { ops, sec };
}

const gadget = (s: LocalSite, accountId: string, functionKey: string, configuration?: unknown, payload?: unknown) =>
  s.invokeUi('pft-follow-through-gadget', { functionKey, payload }, { accountId, extension: { gadget: { id: '10001' }, dashboard: { id: '10000' }, gadgetConfiguration: configuration ?? {} } });
const viewOf = async (s: LocalSite, accountId: string, config: GadgetConfig) => value<GadgetView>(await gadget(s, accountId, 'getGadgetView', config));
const report = async (s: LocalSite, accountId: string, projectKey?: string) =>
  value<ReportSummary>(await s.invokeUi('pft-follow-through', { functionKey: 'getReportSummary', payload: projectKey ? { projectKey } : {} }, { accountId }));
const reportRows = async (s: LocalSite, accountId: string, projectKey?: string) =>
  value<ReportPage>(await s.invokeUi('pft-follow-through', { functionKey: 'getReportPage', payload: { reason: 'any', ...(projectKey ? { projectKey } : {}) } }, { accountId })).rows;

const ALL_REASONS: GadgetConfig['reasons'] = ['overdue', 'unassigned', 'unprioritized', 'stale'];
const projects = (...projectKeys: string[]): GadgetConfig => ({ scope: { kind: 'projects', projectKeys }, reasons: ALL_REASONS, rows: 10 });
const savedFilter = (filterId: string): GadgetConfig => ({ scope: { kind: 'filter', filterId }, reasons: ALL_REASONS, rows: 10 });

it('shows the report’s numbers and oldest items for the same scope: every project, one project, a saved filter', async () => {
  const s = site();
  const { ops } = await arrange(s);

  const everywhere = await viewOf(s, EDITOR_ID, projects());
  expect(everywhere).toMatchObject({ configured: true, scopeLabel: 'All projects' });
  expect(everywhere.counts).toEqual((await report(s, EDITOR_ID)).counts);
  expect(everywhere.counts).toEqual({ open: 6, attention: 5, overdue: 2, unassigned: 2, unprioritized: 0, stale: 1 });
  // Oldest first, the same rows the report lists as needing attention.
  expect(everywhere.oldest.map((r) => r.key)).toEqual((await reportRows(s, EDITOR_ID)).map((r) => r.key));
  expect(everywhere.oldest[0]).toMatchObject({ key: ops.stale, reasons: ['stale'], ageDays: 92 });

  const opsOnly = await viewOf(s, EDITOR_ID, projects('OPS'));
  expect(opsOnly.scopeLabel).toBe('Operations');
  expect(opsOnly.counts).toEqual((await report(s, EDITOR_ID, 'OPS')).counts);
  expect(opsOnly.oldest.map((r) => r.key)).toEqual((await reportRows(s, EDITOR_ID, 'OPS')).map((r) => r.key));

  // Saved filter "Operations work" (project = OPS, shared with everyone): the same numbers as the OPS report.
  const filtered = await viewOf(s, EDITOR_ID, savedFilter('10000'));
  expect(filtered.scopeLabel).toBe('Saved filter: Operations work');
  expect(filtered.counts).toEqual(opsOnly.counts);
  expect(filtered.oldest.map((r) => r.key)).toEqual(opsOnly.oldest.map((r) => r.key));

  // Only the chosen reasons' items are listed, at most `rows` of them.
  const narrow = await viewOf(s, EDITOR_ID, { scope: { kind: 'projects', projectKeys: [] }, reasons: ['overdue'], rows: 1 });
  expect(narrow.oldest.map((r) => r.reasons)).toEqual([['overdue']]);
  expect(narrow.counts).toEqual(everywhere.counts);
});

it('is permission-true: a viewer who cannot browse SEC sees fewer, and a filter not shared with them is refused', async () => {
  const s = site();
  const { sec } = await arrange(s);
  const eden = await viewOf(s, EDITOR_ID, projects('OPS', 'SEC'));
  const vic = await viewOf(s, VIEWER_ID, projects('OPS', 'SEC'));
  expect(eden.scopeLabel).toBe('Operations, Security');
  expect(vic.scopeLabel).toBe('Operations');
  expect(vic.counts.open).toBeLessThan(eden.counts.open);
  expect(vic.counts).toEqual((await report(s, VIEWER_ID, 'OPS')).counts);
  expect(vic.counts).toEqual((await report(s, VIEWER_ID)).counts);
  expect(eden.oldest.map((r) => r.key)).toEqual(expect.arrayContaining(Object.values(sec)));
  expect(vic.oldest.map((r) => r.key).filter((k) => k.startsWith('SEC-'))).toEqual([]);

  // "Security work" is shared with who may browse SEC: Eden sees its items, Vic a plain refusal and nothing of SEC.
  expect((await viewOf(s, EDITOR_ID, savedFilter('10001'))).counts).toEqual((await report(s, EDITOR_ID, 'SEC')).counts);
  const refused = (await gadget(s, VIEWER_ID, 'getGadgetView', savedFilter('10001'))) as Result<GadgetView>;
  expect(refused.ok).toBe(false);
  if (!refused.ok) {
    expect(refused.error.code).toBe('not-found');
    expect(JSON.stringify(refused.error)).not.toMatch(/SEC-|Security/);
  }

  // The edit view offers only what the editor may see.
  const options = value<GadgetEditOptions>(await gadget(s, VIEWER_ID, 'getGadgetEditOptions'));
  expect(options.projects.map((p) => p.key)).toEqual(['INC', 'OPS']);
  expect(options.filters.map((f) => f.name)).toEqual(['Operations work']);
  const check = (await gadget(s, VIEWER_ID, 'checkGadgetConfig', undefined, { config: projects('OPS', 'SEC') })) as Result<GadgetConfig>;
  expect(check.ok ? null : check.error.fieldErrors).toEqual({ 'scope.projectKeys': 'Not a project this gadget can report on: SEC.' });
  const checkFilter = (await gadget(s, VIEWER_ID, 'checkGadgetConfig', undefined, { config: savedFilter('10001') })) as Result<GadgetConfig>;
  expect(checkFilter.ok ? null : checkFilter.error.fieldErrors).toEqual({ 'scope.filterId': 'Pick a saved filter you can see.' });
});

it('checks the person-writable configuration at the edge: a bad one is refused before any Jira call', async () => {
  const s = site();
  expect(value<GadgetView>(await gadget(s, EDITOR_ID, 'getGadgetView'))).toMatchObject({ configured: false });
  // Jira's own `refresh` field beside an unconfigured gadget is still unconfigured.
  expect(value<GadgetView>(await gadget(s, EDITOR_ID, 'getGadgetView', { refresh: 15 }))).toMatchObject({ configured: false });
  const bad: unknown[] = [
    { ...projects('OPS'), rows: 0 },
    { ...projects('OPS'), rows: 21 },
    { ...projects('OPS'), rows: 2.5 },
    { ...projects('OPS'), reasons: [] },
    { ...projects('OPS'), reasons: ['late'] },
    { ...projects('ops') },
    { ...projects('OPS'), extra: true },
    { scope: { kind: 'filter', filterId: '10000 OR project = SEC' }, reasons: ALL_REASONS, rows: 5 },
    { scope: { kind: 'jql', jql: 'project = SEC' }, reasons: ALL_REASONS, rows: 5 },
    'project = SEC',
    [1, 2],
  ];
  for (const configuration of bad) {
    const before = s.log.count();
    const out = (await gadget(s, EDITOR_ID, 'getGadgetView', configuration)) as Result<GadgetView>;
    expect([JSON.stringify(configuration), out.ok ? 'ok' : out.error.code]).toEqual([JSON.stringify(configuration), 'invalid-input']);
    expect(s.log.count()).toBe(before);
    const checked = (await gadget(s, EDITOR_ID, 'checkGadgetConfig', undefined, { config: configuration })) as Result<GadgetConfig>;
    expect(checked.ok).toBe(false);
  }
  // A good one comes back in one form: projects sorted without repeats, reasons in the report's order.
  const normal = value<GadgetConfig>(await gadget(s, EDITOR_ID, 'checkGadgetConfig', undefined, { config: { scope: { kind: 'projects', projectKeys: ['SEC', 'OPS', 'SEC'] }, reasons: ['stale', 'overdue'], rows: 3 } }));
  expect(normal).toEqual({ scope: { kind: 'projects', projectKeys: ['OPS', 'SEC'] }, reasons: ['overdue', 'stale'], rows: 3 });
});

it('lists the incidents whose postmortem is overdue, as the reminder rule decides, oldest first', async () => {
  const s = site();
  await arrange(s); // INC-1 now has a postmortem (a draft)
  const view = await viewOf(s, EDITOR_ID, projects('OPS'));
  const now = s.now();
  const expected = s.state.jira.issues
    .filter((i) => i.key.startsWith('INC-') && i.resolutiondate && now.getTime() - Date.parse(i.resolutiondate) <= 90 * 86_400_000 && postmortemOverdue(new Date(i.resolutiondate), DEFAULT_SETTINGS, now))
    .sort((a, b) => Date.parse(a.resolutiondate!) - Date.parse(b.resolutiondate!))
    .map((i) => i.key);
  expect(expected.length).toBeGreaterThan(1);
  expect(view.overduePostmortems?.map((p) => p.incidentKey)).toEqual(expected);
  expect(view.overduePostmortems?.find((p) => p.incidentKey === 'INC-1')?.postmortem).toBe('unpublished');
  expect(view.overduePostmortems?.filter((p) => p.incidentKey !== 'INC-1').every((p) => p.postmortem === 'none')).toBe(true);
});
