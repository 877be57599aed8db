/**
 * Personal data (issue 17) through the local site: the weekly trigger reports every account the app stores
 * with `privacy.reportPersonalData` (the site's `POST /app/report-accounts`), erases what it keeps about a closed
 * account everywhere (Forge storage and the postmortems' page properties), refreshes an updated account's name,
 * and a second run changes nothing. Nothing is mocked: the real @forge/api, @forge/kvs and @forge/events.
 */
import { privacy, __requestAtlassianAsApp } from '@forge/api';
import type { Postmortem } from '../../src/contract/postmortem';
import { FORMER_USER } from '../../src/domain/personal-data';
import { seedPostmortems, mondayAnchor, K, RENAMED_TO } from '../../local-site/demo/postmortems';
import { CLOSED_ID, CLOSED_PROFILE, EDITOR_ID, RENAMED_ID } from '../../local-site/state/users';
import { ENG_HOME_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';
import { useLocalSite } from './support/site';
import { macroCall, value } from './support/publishing';

const site = useLocalSite({ startAt: new Date('2026-11-18T10:00:00Z') });
const TRIGGER = 'pft-weekly-personal-data';
const PAT_ID = '557058:pat-doe';
const PAT = { name: 'Pat Doe', email: 'pat.doe@example.com' };

/** Every value the app keeps: Forge storage (values, entities, secrets) and the page properties it wrote. */
function appData(s: LocalSite, exceptRunState = false): string {
  const kvs = s.state.platform.kvs;
  const values = Object.fromEntries(Object.entries(kvs.values).filter(([k]) => !(exceptRunState && (k === 'pd-run' || k === 'pd-run-claim'))));
  const properties = s.state.confluence.pages.flatMap((p) => p.properties.filter((prop) => prop.key.startsWith('pft-')).map((prop) => ({ page: p.id, key: prop.key, value: prop.value })));
  return JSON.stringify({ values, entities: kvs.entities, secrets: kvs.secrets, properties });
}

const property = (s: LocalSite, pageId: string, localId: string): Postmortem =>
  s.state.confluence.pages.find((p) => p.id === pageId)!.properties.find((p) => p.key === `pft-postmortem-${localId}`)!.value as Postmortem;

async function runJob(s: LocalSite): Promise<void> {
  await s.runScheduledTrigger(TRIGGER);
  await s.drainQueue();
}

/** Pat's postmortem: an owner typed as Pat's email (not yet matched), Pat as stakeholder and author of a pasted line. */
async function patsPostmortem(s: () => LocalSite): Promise<string> {
  const localId = 'a17a17a1-0000-4000-8000-000000000017';
  s().placeMacro(ENG_HOME_ID, 'pft-postmortem', localId, 'Postmortem');
  const call = macroCall(s, localId, ENG_HOME_ID);
  const loaded = value(await call(EDITOR_ID, 'loadPostmortem'));
  const pm: Postmortem = {
    ...loaded.postmortem,
    title: 'Queue backlog',
    summary: 'Pat Doe noticed the backlog first; the text people wrote stays as written.',
    stakeholders: [{ kind: 'user', id: PAT_ID, displayName: PAT.name }],
    incidentOwner: { kind: 'user', id: PAT.email, displayName: PAT.name },
    timeline: [{ id: 't1', at: '2026-11-16T10:00:00Z', kind: 'detection', text: 'backlog alarm', author: PAT.name }],
    actionItems: [{ id: 'i1', title: 'Drain the queue faster', description: '', owner: { kind: 'user', id: PAT.email, displayName: PAT.name }, effort: 'low', impact: 'high', dueDate: null, state: 'proposed' }],
  };
  const saved = value(await call(EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  expect(saved.kind).toBe('saved');
  return localId;
}

const lower = (s: string) => s.toLowerCase();

describe('the weekly personal-data run', () => {
  it('erases closed accounts everywhere, refreshes renamed ones, and changes nothing when run again', async () => {
    const s = site();
    s.state.users.push({ accountId: PAT_ID, displayName: PAT.name, emailAddress: PAT.email, timeZone: 'UTC', siteAdmin: false });
    await seedPostmortems(s, mondayAnchor(s.now()));
    const patLocalId = await patsPostmortem(site);
    const [p1Page, p1Local] = K.p1.split(':');
    const [p2Page, p2Local] = K.p2.split(':');
    expect(appData(s)).toContain(CLOSED_PROFILE.displayName);
    expect(appData(s)).toContain('Sam Rivera');

    // Week 1: Robin's account was closed (seed), Sam renamed herself after the demo was written.
    await runJob(s);
    expect(s.privacyReports.length).toBeGreaterThan(0);
    expect(s.privacyReports.every((r) => r.status === 200 || r.status === 204)).toBe(true);
    const p1 = property(s, p1Page, p1Local);
    expect(p1.attendees).toContainEqual({ kind: 'user', id: CLOSED_ID, displayName: FORMER_USER });
    expect(p1.timeline.find((t) => t.kind === 'detection')).toMatchObject({ author: FORMER_USER, text: 'Someone noticed' });
    expect(p1.stakeholders).toEqual([{ kind: 'user', id: RENAMED_ID, displayName: RENAMED_TO }]);
    expect(property(s, p2Page, p2Local).attendees).toEqual([{ kind: 'user', id: CLOSED_ID, displayName: FORMER_USER }, { kind: 'user', id: RENAMED_ID, displayName: RENAMED_TO }]);
    const afterWeek1 = lower(appData(s));
    expect(afterWeek1).not.toContain(lower(CLOSED_PROFILE.displayName));
    expect(afterWeek1).not.toContain(lower(CLOSED_PROFILE.emailAddress));
    expect(afterWeek1).not.toContain('sam rivera');
    expect(afterWeek1).toContain(lower(PAT.name)); // Pat is still here

    // Week 2: Pat leaves. The email typed as an owner was matched to Pat's account last week, so it goes too.
    s.closeAccount(PAT_ID);
    await runJob(s);
    const pats = property(s, ENG_HOME_ID, patLocalId);
    expect(pats.incidentOwner).toEqual({ kind: 'user', id: PAT_ID, displayName: FORMER_USER });
    expect(pats.actionItems[0].owner).toEqual({ kind: 'user', id: PAT_ID, displayName: FORMER_USER });
    expect(pats.stakeholders).toEqual([{ kind: 'user', id: PAT_ID, displayName: FORMER_USER }]);
    expect(pats.timeline[0]).toMatchObject({ author: FORMER_USER, text: 'backlog alarm' });
    expect(pats.summary).toBe('Pat Doe noticed the backlog first; the text people wrote stays as written.'); // what people wrote stays
    const pmIndex = s.state.platform.kvs.entities['postmortem']![`${ENG_HOME_ID}:${patLocalId}`]!.value;
    expect(pmIndex).toMatchObject({ ownerAccountId: PAT_ID, ownerName: FORMER_USER });
    // Scan everything but Pat's own words in the summary, which stay.
    const afterWeek2 = lower(appData(s)).split(lower(pats.summary)).join('');
    for (const gone of [CLOSED_PROFILE.displayName, CLOSED_PROFILE.emailAddress, PAT.name, PAT.email, 'Sam Rivera']) expect(afterWeek2).not.toContain(lower(gone));

    // Week 3: nothing to report, nothing changes.
    const before = appData(s, true);
    const reports = s.privacyReports.length;
    await runJob(s);
    expect(appData(s, true)).toBe(before);
    expect(s.privacyReports.slice(reports).map((r) => r.status)).toEqual([204]);
  });

  it('resumes after a step fails part-way: Confluence refusing the writes for a while', async () => {
    const s = site();
    await seedPostmortems(s, mondayAnchor(s.now()));
    // Every page-property write fails for a while: the erase step throws, the platform retries its event, and
    // the run resumes at that step (the run's progress is in storage).
    // First a write that lands but whose answer is lost: the retry meets Confluence's 409 (stale version), and the
    // job re-reads the property and applies its change to what is there now.
    s.addFault({ product: 'confluence', method: 'PUT', path: '/properties/', kind: 'server-error', status: 500, afterEffect: true, times: 1 });
    s.addFault({ product: 'confluence', method: 'PUT', path: '/properties/', kind: 'server-error', status: 503, times: 6 });
    await runJob(s);
    expect(s.state.platform.kvs.values['pd-run']!.value).toMatchObject({ phase: 'done' });
    const data = lower(appData(s, true));
    expect(data).not.toContain(lower(CLOSED_PROFILE.displayName));
    expect(data).not.toContain('sam rivera');
    // Nothing was left half done: running again changes nothing.
    const before = appData(s, true);
    await runJob(s);
    expect(appData(s, true)).toBe(before);
  });

  it('waits as long as a 429 from the report asks, then reports again', async () => {
    const s = site();
    await seedPostmortems(s, mondayAnchor(s.now()));
    s.addFault({ product: 'platform', path: '/app/report-accounts', kind: 'rate-limit', retryAfterSeconds: 120, times: 1 });
    const started = s.now().getTime();
    await runJob(s);
    expect(s.privacyReports.map((r) => r.status)).toEqual([429, 200]);
    expect(s.now().getTime() - started).toBeGreaterThanOrEqual(120_000); // the retry came after Retry-After
    expect(lower(appData(s, true))).not.toContain(lower(CLOSED_PROFILE.displayName));
  });

  it('a trigger fired twice starts one run', async () => {
    const s = site();
    await seedPostmortems(s, mondayAnchor(s.now()));
    s.duplicateTriggerFiring = true;
    await runJob(s);
    const reportCalls = s.privacyReports.length;
    expect(reportCalls).toBe(1);
    expect(s.state.platform.kvs.values['pd-run']!.value).toMatchObject({ phase: 'done' });
  });

  it('reports more than 90 accounts 90 a call', async () => {
    const s = site();
    const ids = Array.from({ length: 95 }, (_, i) => `557058:person-${String(i).padStart(3, '0')}`);
    for (const id of ids) s.state.users.push({ accountId: id, displayName: `Person ${id.slice(-3)}`, emailAddress: `${id.slice(7)}@example.com`, timeZone: 'UTC', siteAdmin: false });
    const localId = 'a17a17a1-0000-4000-8000-000000000095';
    s.placeMacro(ENG_HOME_ID, 'pft-postmortem', localId, 'Postmortem');
    const call = macroCall(site, localId, ENG_HOME_ID);
    const loaded = value(await call(EDITOR_ID, 'loadPostmortem'));
    const people = ids.map((id) => ({ kind: 'user' as const, id, displayName: `Person ${id.slice(-3)}` }));
    const saved = value(await call(EDITOR_ID, 'savePostmortem', { postmortem: { ...loaded.postmortem, title: 'Many people', attendees: people.slice(0, 50), stakeholders: people.slice(50) }, base: loaded.postmortem, baseVersion: loaded.version }));
    expect(saved.kind).toBe('saved');
    s.closeAccount(ids[94]);
    await runJob(s);
    // 95 people plus whoever saved: two calls, each within the API's 90.
    expect(s.privacyReports.map((r) => r.accounts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(95);
    expect(s.privacyReports.length).toBeGreaterThanOrEqual(2);
    expect(s.privacyReports.every((r) => r.accounts <= 90 && r.status !== 400)).toBe(true);
    expect(property(s, ENG_HOME_ID, localId).stakeholders.at(-1)).toEqual({ kind: 'user', id: ids[94], displayName: FORMER_USER });
  });
});

describe('POST /app/report-accounts on the local site', () => {
  const post = (s: LocalSite, body: unknown) =>
    s.asInvocation(undefined, () => __requestAtlassianAsApp('/app/report-accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  const at = '2026-11-01T00:00:00.000Z';

  it('answers closed and updated accounts, 204 when none, 400 on more than 90 or a bad body', async () => {
    const s = site();
    s.renameAccount(RENAMED_ID, 'Sam Okafor');
    const mixed = await post(s, { accounts: [{ accountId: CLOSED_ID, updatedAt: at }, { accountId: RENAMED_ID, updatedAt: at }, { accountId: EDITOR_ID, updatedAt: at }] });
    expect(mixed.status).toBe(200);
    expect(await mixed.json()).toEqual({ accounts: [{ accountId: CLOSED_ID, status: 'closed' }, { accountId: RENAMED_ID, status: 'updated' }] });
    // Retrieved after the rename: nothing to do.
    expect((await post(s, { accounts: [{ accountId: RENAMED_ID, updatedAt: s.now().toISOString() }] })).status).toBe(204);
    const many = Array.from({ length: 91 }, (_, i) => ({ accountId: `557058:x-${i}`, updatedAt: at }));
    expect((await post(s, { accounts: many })).status).toBe(400);
    expect((await post(s, { accounts: [{ accountId: EDITOR_ID }] })).status).toBe(400);
    expect((await post(s, {})).status).toBe(400);
  });

  it('privacy.reportPersonalData sends 181 accounts as 90 + 90 + 1 and merges the answers', async () => {
    const s = site();
    const accounts = Array.from({ length: 180 }, (_, i) => ({ accountId: `557058:x-${i}`, updatedAt: at })).concat([{ accountId: CLOSED_ID, updatedAt: at }]);
    const out = await s.asInvocation(undefined, () => privacy.reportPersonalData(accounts));
    expect(out).toEqual([{ accountId: CLOSED_ID, status: 'closed' }]);
    expect(s.privacyReports.map((r) => r.accounts)).toEqual([90, 90, 1]);
  });

  it('shows a closed account as Former user, without email, in Jira', async () => {
    const s = site();
    const res = await s.handleProduct('jira', { method: 'GET', path: '/rest/api/3/user', query: new URLSearchParams({ accountId: CLOSED_ID }), headers: {}, body: undefined, actor: { kind: 'app' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accountId: CLOSED_ID, displayName: FORMER_USER, active: false });
    expect(JSON.stringify(res.body)).not.toContain(CLOSED_PROFILE.displayName);
    expect(JSON.stringify(res.body)).not.toContain(CLOSED_PROFILE.emailAddress);
  });
});
