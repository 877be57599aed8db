/**
 * "Create postmortem" from an incident, through the local site: the page, the prefilled macro, the links —
 * and never a second page, whether the user clicks twice, twenty people click at once, or a run fails halfway.
 */
import type { IncidentPostmortemView, PostmortemPageRef } from '../../src/contract/incident-postmortem';
import type { Postmortem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { useLocalSite } from './support/site';
import { invokeUi, type UiFunction } from '../support/ui-driver';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';

const site = useLocalSite();
type Created = PostmortemPageRef & { created: boolean };

const fromIssueAction = <F extends UiFunction<'pft-create-postmortem'>>(accountId: string, functionKey: F, issueKey: string) =>
  invokeUi(site(), 'pft-create-postmortem', accountId, { extension: { issue: { key: issueKey, type: 'Incident' } } }, functionKey, {});
const fromConfluencePage = <F extends UiFunction<'pft-postmortems'>>(accountId: string, functionKey: F, issueKey: string) =>
  invokeUi(site(), 'pft-postmortems', accountId, {}, functionKey, { issueKey });

const postmortemPages = () => site().state.confluence.pages.filter((p) => p.title.startsWith('Postmortem:') && p.status === 'current');

it('creates the page with the macro prefilled from the incident, and links the incident to it', async () => {
  const s = site();
  const incident = s.state.jira.issues.find((i) => i.key === 'INC-1')!;
  const before = (await fromIssueAction(EDITOR_ID, 'getIncidentPostmortem', 'INC-1')) as Result<IncidentPostmortemView>;
  expect(before).toMatchObject({ ok: true, value: { incident: { key: 'INC-1', summary: incident.summary }, existing: null, spaceKey: 'ENG' } });

  const out = await fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-1');
  expect(out).toMatchObject({ ok: true, value: { created: true, title: `Postmortem: ${incident.summary}` } });
  const page = postmortemPages()[0];
  expect(page.authorId).toBe(EDITOR_ID);
  const macro = JSON.stringify(page.body);
  expect(macro).toContain('/static/pft-postmortem');
  const property = page.properties.find((p) => p.key.startsWith('pft-postmortem-'))!;
  const pm = property.value as Postmortem;
  expect(pm).toMatchObject({ title: incident.summary, incidentKey: 'INC-1', status: 'draft', incidentOwner: { kind: 'user', id: incident.assigneeId } });
  expect(pm.timeline.map((t) => t.kind)).toEqual(['detection', 'resolution']);
  expect(pm.timeline[1].at && Date.parse(pm.timeline[1].at)).toBe(Date.parse(incident.resolutiondate!));
  expect(incident.remoteLinks.map((l) => l.globalId)).toEqual([`pft-postmortem-page:${page.id}`]);

  // The macro on the new page loads that same document.
  const localId = property.key.replace('pft-postmortem-', '');
  const loaded = (await s.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: EDITOR_ID, localId, extension: { content: { id: page.id } } })) as Result<{ version: number; postmortem: Postmortem }>;
  expect(loaded).toMatchObject({ ok: true, value: { version: 1, postmortem: { incidentKey: 'INC-1' } } });
});

it('opens the existing page on a second click, from Jira or from Confluence', async () => {
  const first = await fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-2');
  const second = await fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-2');
  const third = await fromConfluencePage(EDITOR_ID, 'createPostmortemPage', 'inc-2');
  expect(first).toMatchObject({ ok: true, value: { created: true } });
  expect(second).toEqual({ ok: true, value: { ...(first as { value: Created }).value, created: false } });
  expect(third).toEqual(second);
  expect(postmortemPages()).toHaveLength(1);
  expect(await fromConfluencePage(EDITOR_ID, 'getIncidentPostmortem', 'INC-2')).toMatchObject({ ok: true, value: { existing: { pageId: (first as { value: Created }).value.pageId } } });
});

it('makes exactly one page when twenty clicks arrive at once', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, () => fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-3')));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(results.filter((r) => r.ok && r.value.created)).toHaveLength(1);
  expect(new Set(results.map((r) => (r.ok ? r.value.pageId : '')))).toEqual(new Set([postmortemPages()[0].id]));
  expect(postmortemPages()).toHaveLength(1);
  expect(site().state.jira.issues.find((i) => i.key === 'INC-3')!.remoteLinks).toHaveLength(1);
});

it('finishes a page a failed run left half made, instead of making another', async () => {
  const s = site();
  // Confluence stops answering for longer than the client's retries last (5 attempts).
  s.addFault({ product: 'confluence', method: 'POST', path: /\/properties$/, kind: 'timeout', afterMs: 5, times: 5 });
  const failed = await fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-4');
  expect(failed.ok).toBe(false);
  expect(postmortemPages()).toHaveLength(1); // the page exists, without its document
  const retried = await fromIssueAction(EDITOR_ID, 'createPostmortemPage', 'INC-4');
  expect(retried).toMatchObject({ ok: true, value: { created: true, pageId: postmortemPages()[0].id } });
  expect(postmortemPages()).toHaveLength(1);
  expect(postmortemPages()[0].properties.filter((p) => p.key.startsWith('pft-postmortem-'))).toHaveLength(1);
});

it('lets Confluence refuse a user who may not create pages, and checks the key', async () => {
  const out = await fromIssueAction(VIEWER_ID, 'createPostmortemPage', 'INC-1');
  expect(out.ok).toBe(false);
  expect(postmortemPages()).toHaveLength(0);
  expect(await fromConfluencePage(EDITOR_ID, 'createPostmortemPage', 'not a key')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(await fromConfluencePage(VIEWER_ID, 'getIncidentPostmortem', 'SEC-1')).toMatchObject({ ok: false, error: { code: 'not-found' } });
});

it('offers no postmortem on an action item or on an issue the incident search does not find', async () => {
  const s = site();
  // An action-item task the app created from a postmortem.
  const loaded = (await s.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: EDITOR_ID, localId: 'eeeeeeee-0000-4000-8000-000000000001', extension: { content: { id: '65538' } } })) as Result<{ postmortem: Postmortem; version: number }>;
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const pm = { ...loaded.value.postmortem, title: 'Checkout latency', actionItems: [{ id: 'a1', title: 'Alert on lag', description: '', owner: null, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const }] };
  const invoke = (functionKey: string, payload: unknown) => s.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: 'eeeeeeee-0000-4000-8000-000000000001', extension: { content: { id: '65538' } } });
  expect(await invoke('savePostmortem', { postmortem: pm, base: loaded.value.postmortem, baseVersion: loaded.value.version })).toMatchObject({ ok: true });
  const run = (await invoke('createIssues', {})) as Result<{ outcomes: { issueKey?: string }[] }>;
  const key = run.ok ? run.value.outcomes[0].issueKey! : '';
  expect(key).toMatch(/^OPS-\d+$/);

  const view = await fromIssueAction(EDITOR_ID, 'getIncidentPostmortem', key);
  expect(view).toMatchObject({ ok: true, value: { notIncident: `${key} is an action item from the postmortem “Checkout latency”, not an incident: postmortems are started from the incident itself.` } });
  expect(await fromIssueAction(EDITOR_ID, 'createPostmortemPage', key)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('is an action item') } });
  expect(await fromConfluencePage(EDITOR_ID, 'createPostmortemPage', key)).toMatchObject({ ok: false });
  expect(postmortemPages()).toHaveLength(0);

  // An incident is offered one.
  expect(await fromIssueAction(EDITOR_ID, 'getIncidentPostmortem', 'INC-1')).toMatchObject({ ok: true, value: { notIncident: null } });
});
