/**
 * The viewer (Vic: reads ENG but cannot edit it, cannot see the SECOPS space nor the SEC project) tries
 * every resolver on things Confluence or Jira would deny him. Each call must be refused or answer without
 * the hidden content, and write nothing.
 */
import type { CreateRun } from '../../src/contract/action-items';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { ActionItem, Postmortem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID, SECOPS_RUNBOOK_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';
import { changeableState } from './support/state';

const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });
const ENG_LOCAL = 'sec00000-0000-4000-8000-000000000001';
const SECOPS_LOCAL = 'sec00000-0000-4000-8000-000000000002';
const SECRET = 'Tokens-were-not-revoked-zebra-42';

beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const item = (id: string, over: Partial<ActionItem> = {}): ActionItem => ({ id, title: `Rotate signing keys ${id} ${SECRET}`, description: SECRET, owner: null, effort: 'low', impact: 'high', dueDate: '2026-11-01', state: 'accepted', ...over });

const macroCall = (s: LocalSite, accountId: string, pageId: string, localId: string, functionKey: string, payload?: unknown) =>
  s.invokeUi('pft-postmortem', { functionKey, payload }, { accountId, localId, extension: { content: { id: pageId, type: 'page' } } }) as Promise<Result<unknown>>;

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

async function postmortem(s: LocalSite, accountId: string, pageId: string, localId: string, items: ActionItem[], projectKey: string, title = `Session tokens ${SECRET}`): Promise<{ doc: Postmortem; run: CreateRun }> {
  const loaded = value<LoadedPostmortem>(await macroCall(s, accountId, pageId, localId, 'loadPostmortem'));
  const pm = { ...loaded.postmortem, title, summary: title, incidentKey: 'SEC-1', actionItemProjectKey: projectKey, actionItemIssueType: 'Task', actionItems: items };
  const saved = value<SaveOutcome>(await macroCall(s, accountId, pageId, localId, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  if (saved.kind !== 'saved') throw new Error('not saved');
  const run = value<CreateRun>(await macroCall(s, accountId, pageId, localId, 'createIssues', {}));
  if (run.status === 'running') await s.drainQueue();
  return { doc: saved.postmortem, run };
}

const snapshot = changeableState;

it('the viewer can neither read nor change through any resolver what Confluence or Jira deny him', async () => {
  const s = site();
  // Eden: a postmortem on the ENG on-call page (Vic may read it) whose action items are in SEC (he may not).
  const eng = await postmortem(s, EDITOR_ID, ONCALL_PAGE_ID, ENG_LOCAL, [item('e1', { title: 'Alert on token age', description: '' }), item('e2', { title: 'Shorter sessions', description: '' })], 'SEC', 'Session tokens');
  // Avery: a postmortem on a SECOPS page (Vic may not read it), 25 items so the run goes to the background.
  const secops = await postmortem(s, ADMIN_ID, SECOPS_RUNBOOK_ID, SECOPS_LOCAL, Array.from({ length: 25 }, (_, i) => item(`s${i}`)), 'SEC');
  expect(secops.run.status).toBe('running');
  const secIssue = s.state.jira.issues.find((i) => (i.properties['postmortem-action-item'] as { pageId?: string } | undefined)?.pageId === SECOPS_RUNBOOK_ID)!;
  expect(secIssue).toBeDefined();
  value((await s.invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: { ...DEFAULT_SETTINGS, staleAfterDays: 7 } } }, { accountId: ADMIN_ID })) as Result<unknown>);

  const before = snapshot(s);
  const answers: Record<string, unknown> = {};
  const ask = async (label: string, call: Promise<unknown>) => {
    const r = await call.catch((e: unknown) => ({ threw: String(e) }));
    answers[label] = r;
    return r as Result<any>;
  };
  const refused = (r: Result<unknown>) => !r.ok && ['forbidden', 'not-found', 'invalid-input'].includes(r.error.code);

  // Settings: readable, not writable.
  expect(await ask('getSettings', s.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: VIEWER_ID }))).toMatchObject({ ok: true, value: { canEdit: false } });
  expect(refused(await ask('saveSettings', s.invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: DEFAULT_SETTINGS } }, { accountId: VIEWER_ID })))).toBe(true);

  // The ENG page: he reads the document, may change nothing, and sees no SEC issue.
  const loaded = await ask('eng.load', macroCall(s, VIEWER_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'loadPostmortem'));
  expect(loaded).toMatchObject({ ok: true, value: { canEdit: false } });
  const edited = { ...eng.doc, summary: 'changed by the viewer' };
  expect(refused(await ask('eng.save', macroCall(s, VIEWER_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'savePostmortem', { postmortem: edited, base: eng.doc, baseVersion: 2 })))).toBe(true);
  expect(refused(await ask('eng.createIssues', macroCall(s, VIEWER_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'createIssues', {})))).toBe(true);
  expect(refused(await ask('eng.publish', macroCall(s, VIEWER_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'publishPostmortem', {})))).toBe(true);
  const live = await ask('eng.live', macroCall(s, VIEWER_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'getLiveIssues'));
  expect(live.ok && (live.value as { visible: boolean; status?: unknown }[]).every((l) => !l.visible && l.status === undefined)).toBe(true);

  // The SECOPS page: nothing of it, through any of the macro's calls.
  for (const fn of ['loadPostmortem', 'getLiveIssues', 'createIssues', 'getPublishState', 'publishPostmortem']) {
    const r = await ask(`secops.${fn}`, macroCall(s, VIEWER_ID, SECOPS_RUNBOOK_ID, SECOPS_LOCAL, fn, {}));
    expect([fn, r.ok]).toEqual([fn, false]);
  }
  expect(refused(await ask('secops.save', macroCall(s, VIEWER_ID, SECOPS_RUNBOOK_ID, SECOPS_LOCAL, 'savePostmortem', { postmortem: secops.doc, base: secops.doc, baseVersion: 2 })))).toBe(true);
  // Even knowing the id of Avery's background run.
  expect(refused(await ask('secops.run', macroCall(s, VIEWER_ID, SECOPS_RUNBOOK_ID, SECOPS_LOCAL, 'getCreateRun', { runId: secops.run.runId })))).toBe(true);
  // Export (PDF/Word) of the SECOPS page: refused, or an export without the document.
  await ask('secops.export', s.exportMacro('pft-postmortem', { accountId: VIEWER_ID, localId: SECOPS_LOCAL, extension: { content: { id: SECOPS_RUNBOOK_ID, type: 'page' } } }));

  // Jira: the SEC incident and the SEC action item.
  expect(refused(await ask('incident.get', s.invokeUi('pft-create-postmortem', { functionKey: 'getIncidentPostmortem', payload: {} }, { accountId: VIEWER_ID, extension: { issue: { key: 'SEC-1' } } })))).toBe(true);
  expect(refused(await ask('incident.create', s.invokeUi('pft-postmortems', { functionKey: 'createPostmortemPage', payload: { issueKey: 'SEC-1' } }, { accountId: VIEWER_ID })))).toBe(true);
  expect(await ask('origin', s.invokeUi('pft-action-item-origin', { functionKey: 'getOrigin' }, { accountId: VIEWER_ID, extension: { issue: { key: secIssue.key } } }))).toEqual({ ok: true, value: { isActionItem: false, followUps: [] } });

  // The report: no SEC counts or rows, by pick or on the SEC project page.
  expect(refused(await ask('report.summary', s.invokeUi('pft-follow-through', { functionKey: 'getReportSummary', payload: { projectKey: 'SEC' } }, { accountId: VIEWER_ID })))).toBe(true);
  const rows = await ask('report.page', s.invokeUi('pft-follow-through', { functionKey: 'getReportPage', payload: { reason: 'any' } }, { accountId: VIEWER_ID }));
  expect(rows.ok && rows.value.rows.length).toBe(0);
  const onSecPage = await ask('report.project', s.invokeUi('pft-follow-through-project', { functionKey: 'getReportSummary', payload: {} }, { accountId: VIEWER_ID, extension: { project: { key: 'SEC' } } }));
  expect(refused(onSecPage) || (onSecPage.ok && onSecPage.value.counts.open === 0)).toBe(true);

  // The postmortem index (when present): no entry for the SECOPS page, or for the SEC items.
  if (s.manifest.uiModules.some((m) => m.key === 'pft-postmortem-index')) {
    for (const fn of ['getIndexOptions', 'getIndexPage', 'getInsights', 'searchPostmortems']) {
      await ask(`index.${fn}`, s.invokeUi('pft-postmortem-index', { functionKey: fn, payload: fn === 'searchPostmortems' ? { text: 'zebra' } : {} }, { accountId: VIEWER_ID }));
    }
    // Avery does find it: the index has the entry, it is the viewer who is kept from it.
    const found = await s.invokeUi('pft-postmortem-index', { functionKey: 'searchPostmortems', payload: { text: 'zebra' } }, { accountId: ADMIN_ID });
    expect(JSON.stringify(found)).toContain(SECRET);
  }

  // Whatever was answered, none of it carries the hidden text, and nothing was written.
  for (const [label, r] of Object.entries(answers)) {
    const json = JSON.stringify(r);
    expect([label, json.includes(SECRET) || json.includes(`"${secIssue.key}"`)]).toEqual([label, false]);
  }
  expect(snapshot(s)).toBe(before);
  // The editor still sees her own issues, so the refusals above are about the viewer, not a broken setup.
  const edenLive = value<{ visible: boolean }[]>(await macroCall(s, EDITOR_ID, ONCALL_PAGE_ID, ENG_LOCAL, 'getLiveIssues'));
  expect(edenLive.every((l) => l.visible)).toBe(true);
  expect(value<CreateRun>(await macroCall(s, ADMIN_ID, SECOPS_RUNBOOK_ID, SECOPS_LOCAL, 'getCreateRun', { runId: secops.run.runId })).status).toBe('done');
});
