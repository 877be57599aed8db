/**
 * The default announcement on Publish is Jira's documented notify API on the incident issue
 * (`POST /rest/api/3/issue/{key}/notify`): Jira emails the reporter, assignee, watchers and the users and
 * groups the settings name, only those who may see the issue, through its own mail settings. The SMTP email
 * is an experimental opt-in whose failure never keeps Publish from finishing.
 */
import { publishCommentMarker } from '../../src/domain/publish';
import { useLocalSite } from './support/site';
import { emailToCatcher, macroCall, reviewedPostmortem, saveSettings, value } from './support/publishing';
import { ADMIN_ID, EDITOR_ID, NEWCOMER_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';

const site = useLocalSite();
const LOCAL_ID = 'b0b0b0b0-0000-4000-8000-0000000000n1';
const call = macroCall(site, LOCAL_ID);
const publish = (accountId = EDITOR_ID) => call(accountId, 'publishPostmortem');
const jiraMails = () => site().state.platform.outbox.filter((m) => m.from?.startsWith('Jira'));
const notifyRequests = () => site().log.entries.filter((e) => e.endpoint === '/rest/api/3/issue/{issueIdOrKey}/notify');
const page = () => site().state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!;
const incident = () => site().state.jira.issues.find((i) => i.key === 'INC-1')!;
const adfText = (n: unknown): string => {
  const node = n as { text?: string; content?: unknown[] } | null;
  return node && typeof node === 'object' ? (node.text ?? '') + (node.content ?? []).map(adfText).join(' ') : '';
};

beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

it('Publish with a failing experimental email still labels, comments and notifies through Jira', async () => {
  await emailToCatcher(site);
  site().mail.failNext = 5;
  await reviewedPostmortem(call);

  const out = value(await publish());
  expect(out.run.done).toBe(true);
  expect(out.run.steps.map((s) => `${s.step}:${s.state}`)).toEqual(['status:done', 'labels:done', 'comment:done', 'notify:done', 'digest:done', 'email:failed']);
  expect(page().labels.map((l) => l.name)).toEqual(expect.arrayContaining(['postmortem', 'sev2']));
  expect(incident().comments.filter((c) => adfText(c.body).includes(publishCommentMarker(ONCALL_PAGE_ID, LOCAL_ID)))).toHaveLength(1);
  expect(jiraMails()).toHaveLength(1);
  expect(jiraMails()[0]).toMatchObject({ to: ['avery@example.com', 'vic@example.com'], subject: '[Postmortem SEV2] Checkout latency' });
  expect(String(jiraMails()[0].body)).toContain(`/wiki/pages/${ONCALL_PAGE_ID}`);
  expect(out.run.steps.find((s) => s.step === 'email')!.detail).toMatch(/^The experimental SMTP email was not sent: /);
});

it('reaches the settings\' users and groups too, only people who may see the incident, never the publisher, once', async () => {
  await saveSettings(site, { publishNotifyUsers: [NEWCOMER_ID, EDITOR_ID], publishNotifyGroups: ['site-admins'] });
  // Vic watches INC-1 but may no longer browse the INC project: Jira does not email him.
  delete site().state.jira.projects.find((p) => p.key === 'INC')!.access[VIEWER_ID];
  await reviewedPostmortem(call);

  const [a, b] = await Promise.all([publish(), publish()]);
  expect([value(a).alreadyPublished, value(b).alreadyPublished].sort()).toEqual([false, true]);
  expect(notifyRequests()).toHaveLength(1);
  expect(notifyRequests()[0]).toMatchObject({ status: 204, actor: EDITOR_ID });
  expect(jiraMails()).toHaveLength(1);
  expect(jiraMails()[0].to.sort()).toEqual(['avery@example.com', 'nia@example.com']);
  expect(value(await publish()).run.steps.find((s) => s.step === 'notify')).toEqual({
    step: 'notify',
    state: 'done',
    detail: 'Jira notified the reporter, the watchers, 1 person from the settings, group site-admins on INC-1',
  });
  // Nothing goes over SMTP unless an admin opts in to the experimental email.
  expect(site().state.platform.outbox).toHaveLength(1);
});

it('a group Jira does not know is Jira\'s refusal, shown on the step; the rest is published', async () => {
  await saveSettings(site, { publishNotifyGroups: ['no-such-group'] });
  await reviewedPostmortem(call);
  const out = value(await publish());
  expect(out.run.done).toBe(true);
  expect(out.run.steps.find((s) => s.step === 'notify')).toEqual({ step: 'notify', state: 'skipped', detail: 'Jira did not send the notification: The group no-such-group does not exist.' });
  expect(jiraMails()).toHaveLength(0);
});

it('the local Jira serves /notify by the OpenAPI contract: the caller as a named recipient, or an unassigned assignee, is a 400', async () => {
  const s = site();
  const notify = (accountId: string, issueKey: string, to: unknown) =>
    s.handleProduct('jira', { method: 'POST', path: `/rest/api/3/issue/${issueKey}/notify`, query: new URLSearchParams(), headers: {}, body: { subject: 'Hello', textBody: 'Hi', to }, actor: { kind: 'user', accountId } });
  expect((await notify(ADMIN_ID, 'INC-1', { reporter: true })).status).toBe(400); // Avery reported INC-1
  expect((await notify(ADMIN_ID, 'INC-1', { users: [{ accountId: ADMIN_ID }] })).status).toBe(400);
  s.state.jira.issues.find((i) => i.key === 'INC-2')!.assigneeId = null;
  expect((await notify(ADMIN_ID, 'INC-2', { assignee: true })).status).toBe(400);
  expect((await notify(ADMIN_ID, 'INC-1', { watchers: true, assignee: true })).status).toBe(204);
  expect(s.state.platform.outbox.map((m) => m.to)).toEqual([['eden@example.com', 'vic@example.com']]);
});
