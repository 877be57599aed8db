/**
 * "Import from INC-…" through the local site: the incident's Jira history read as the user (real SDK, real
 * changelog and comment endpoints), the fewest requests, paging past 100 changes and comments, a clear error
 * for an incident the user may not see, and a second import adding nothing once the rows are saved.
 */
import type { IncidentTimeline } from '../../src/contract/incident-timeline';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { Postmortem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { mergeImportedTimeline } from '../../src/domain/incident-timeline';
import { computeTimelineMetrics } from '../../src/domain/timeline';
import { useLocalSite } from './support/site';
import { accepted, restAs } from './support/attacker';
import { EDITOR_ID, VIEWER_ID, NEWCOMER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { adf } from '../../local-site/jira/seed';

const site = useLocalSite();
const LOCAL_ID = 'c0ffee00-0000-4000-8000-00000000717e';

function call<T>(accountId: string, functionKey: string, payload?: unknown): Promise<Result<T>> {
  return site().invokeUi('pft-postmortem', { functionKey, payload }, { accountId, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } }) as Promise<Result<T>>;
}
const importFrom = (accountId: string, issueKey: unknown) => call<IncidentTimeline>(accountId, 'importIncidentTimeline', { issueKey });

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const jiraRequests = () => site().log.entries.filter((e) => e.product === 'jira').map((e) => `${e.method} ${e.endpoint}`);
const writes = () => site().log.entries.filter((e) => e.method !== 'GET' && e.product !== 'kvs').length;

it('reads INC-1 as the user in two Jira requests: creation, changes and comments with their times, authors and kinds', async () => {
  const s = site();
  const incident = s.state.jira.issues.find((i) => i.key === 'INC-1')!;
  s.log.clear();
  const out = value(await importFrom(EDITOR_ID, 'inc-1'));
  expect(jiraRequests().sort()).toEqual(['GET /rest/api/3/issue/{issueIdOrKey}', 'GET /rest/api/3/issue/{issueIdOrKey}/changelog']);
  expect(s.log.entries.filter((e) => e.product === 'confluence')).toEqual([]);
  expect(s.log.entries.every((e) => e.product !== 'jira' || e.actor !== 'app')).toBe(true);
  expect(writes()).toBe(0);

  expect(out.issueKey).toBe('INC-1');
  expect(out.entries.map((e) => [e.kind, e.author, e.text])).toEqual([
    ['detection', 'Avery Admin', `INC-1 created: ${incident.summary}`],
    ['note', 'Avery Admin', 'Priority Medium → Highest'],
    ['note', 'Avery Admin', 'Assigned to Eden Editor'],
    ['response', 'Eden Editor', 'Status To Do → In Progress'],
    ['note', 'Eden Editor', 'Comment: Rolled back the pin to the previous intermediate; error rate recovering.'],
    ['note', 'Avery Admin', 'Comment: Confirmed stable for 2 hours. Resolving; postmortem to follow.'],
    ['resolution', 'Avery Admin', 'Status In Progress → Done; Resolved as Done'],
  ]);
  expect(out.entries[0].at).toBe(incident.created);
  expect(out.entries[6].at).toBe(incident.resolutiondate);
  expect(out.entries[4].at).toBe(incident.comments[0].created);
});

it('imported rows saved with the postmortem are not added again, and the metrics follow', async () => {
  const loaded = value(await call<LoadedPostmortem>(EDITOR_ID, 'loadPostmortem'));
  const first = value(await importFrom(EDITOR_ID, 'INC-1'));
  const start = { id: 'start', at: new Date(Date.parse(first.entries[0].at!) - 15 * 60_000).toISOString(), kind: 'initial-failure' as const, text: 'Gateway rotates its certificate' };
  const { toAdd } = mergeImportedTimeline([start], first.entries);
  expect(toAdd).toHaveLength(first.entries.length);
  const pm: Postmortem = { ...loaded.postmortem, incidentKey: 'INC-1', timeline: [start, ...toAdd] };
  const saved = value(await call<SaveOutcome>(EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: 0 }));
  expect(saved.kind).toBe('saved');

  const stored = value(await call<LoadedPostmortem>(EDITOR_ID, 'loadPostmortem')).postmortem;
  const again = value(await importFrom(EDITOR_ID, 'INC-1'));
  expect(again.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
  expect(mergeImportedTimeline(stored.timeline, again.entries).toAdd).toEqual([]);

  const incident = site().state.jira.issues.find((i) => i.key === 'INC-1')!;
  const m = computeTimelineMetrics(stored.timeline);
  expect(m.timeToDetectMs).toBe(15 * 60_000);
  expect(m.timeToRespondMs).toBe(18 * 60_000); // the seed: work started 18 minutes after the incident was reported
  expect(m.timeToResolveMs).toBe(Date.parse(incident.resolutiondate!) - Date.parse(start.at));
});

it('a postmortem made with Create postmortem gets only what it lacks', async () => {
  const s = site();
  const made = (await s.invokeUi('pft-create-postmortem', { functionKey: 'createPostmortemPage', payload: {} }, { accountId: EDITOR_ID, extension: { issue: { key: 'INC-2', type: 'Incident' } } })) as Result<{ pageId: string }>;
  const pageId = value(made).pageId;
  const property = s.state.confluence.pages.find((p) => p.id === pageId)!.properties.find((p) => p.key.startsWith('pft-postmortem-'))!;
  const pm = property.value as Postmortem;
  const localId = property.key.replace('pft-postmortem-', '');
  const out = value((await s.invokeUi('pft-postmortem', { functionKey: 'importIncidentTimeline', payload: { issueKey: pm.incidentKey } }, { accountId: EDITOR_ID, localId, extension: { content: { id: pageId, type: 'page' } } })) as Result<IncidentTimeline>);
  const { toAdd, alreadyThere } = mergeImportedTimeline(pm.timeline, out.entries);
  // Its detection (the incident's creation) and resolution rows are the same moments.
  expect(alreadyThere.map((e) => e.kind)).toEqual(['detection', 'resolution']);
  expect(toAdd.map((e) => e.kind)).toEqual(['note', 'note', 'response']);
});

it('pages through more than 100 changes and 100 comments, and no more than it needs', async () => {
  const s = site();
  const priorities = ['Highest', 'High']; // INC-5 is High: every edit is a change
  for (let n = 0; n < 130; n += 1) {
    accepted(await restAs(s, 'jira', EDITOR_ID, 'PUT', '/rest/api/3/issue/INC-5', { fields: { priority: { name: priorities[n % 2] } } }));
  }
  for (let n = 0; n < 105; n += 1) accepted(await restAs(s, 'jira', EDITOR_ID, 'POST', '/rest/api/3/issue/INC-5/comment', { body: adf(`update ${n}`) }));
  const incident = s.state.jira.issues.find((i) => i.key === 'INC-5')!;
  const changes = incident.changelog!.length;
  expect(changes).toBeGreaterThan(130);

  s.log.clear();
  const out = value(await importFrom(EDITOR_ID, 'INC-5'));
  // 1 issue read (with its first 100 comments) + ⌈changes / 100⌉ changelog pages + 1 page of the other comments.
  expect(jiraRequests().filter((r) => r.endsWith('/changelog'))).toHaveLength(Math.ceil(changes / 100));
  expect(jiraRequests().filter((r) => r.endsWith('/comment'))).toHaveLength(1);
  expect(jiraRequests()).toHaveLength(1 + Math.ceil(changes / 100) + 1);
  expect(out.entries.filter((e) => e.text.startsWith('Priority'))).toHaveLength(131);
  expect(out.entries.filter((e) => e.text.startsWith('Comment'))).toHaveLength(incident.comments.length);
  expect(new Set(out.entries.map((e) => e.id)).size).toBe(out.entries.length);
  expect(out.entries.filter((e) => e.kind === 'response')).toHaveLength(1);
});

it('tells a user who may not see the incident so, and reads nothing else', async () => {
  const s = site();
  s.log.clear();
  const out = await importFrom(VIEWER_ID, 'SEC-1');
  expect(out).toEqual({ ok: false, error: { code: 'not-found', message: 'SEC-1 does not exist or you may not see it in Jira, so its history cannot be imported. Ask someone who can see it, or check the incident key.' } });
  expect(s.log.entries.filter((e) => e.product === 'jira').every((e) => e.status === 404)).toBe(true);
  // The same words for an incident that does not exist: nothing tells the two apart.
  const missing = await importFrom(VIEWER_ID, 'SEC-999');
  expect(missing.ok ? '' : missing.error.message.replace('SEC-999', 'SEC-1')).toBe(out.ok ? '' : out.error.message);
  // What the viewer may see, he may import.
  expect(value(await importFrom(VIEWER_ID, 'INC-1')).entries.length).toBeGreaterThan(0);
  expect(writes()).toBe(0);
});

it('refuses a missing or malformed key before any request, and asks for consent like every asUser call', async () => {
  const s = site();
  s.log.clear();
  for (const bad of [undefined, '', 'INC', 'inc-1; DROP', { key: 'INC-1' }, 'INC-1 OR 1=1']) {
    const out = await importFrom(EDITOR_ID, bad);
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  }
  expect(jiraRequests()).toEqual([]);
  await expect(importFrom(NEWCOMER_ID, 'INC-1')).rejects.toThrow(/NEEDS_AUTHENTICATION|authenticat/i);
});
