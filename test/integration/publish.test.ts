/**
 * Publishing a reviewed postmortem through the local site: status, labels, incident comment, Jira's notification
 * on the incident, digest entry and (opted in) the experimental email over real SMTP to the site's catcher — each exactly once, through double clicks, failures part-way
 * and crashes between a side effect and its record.
 */
import type { PublishRun } from '../../src/contract/publish';
import { publishCommentMarker } from '../../src/domain/publish';
import { useLocalSite } from './support/site';
import { emailToCatcher, macroCall, reviewedPostmortem, value } from './support/publishing';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';

const site = useLocalSite();
const LOCAL_ID = 'b0b0b0b0-0000-4000-8000-00000000000p';
const call = macroCall(site, LOCAL_ID);
const publish = (accountId = EDITOR_ID) => call(accountId, 'publishPostmortem');

const page = () => site().state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!;
/** The labels publishing adds (the seeded page has others: on-call, runbook). */
const publishLabels = () => page().labels.map((l) => l.name).filter((n) => n === 'postmortem' || /^sev\d$/.test(n)).sort();
const incident = () => site().state.jira.issues.find((i) => i.key === 'INC-1')!;
const adfText = (n: unknown): string => {
  const node = n as { text?: string; content?: unknown[] } | null;
  return node && typeof node === 'object' ? (node.text ?? '') + (node.content ?? []).map(adfText).join(' ') : '';
};
const publishComments = () => incident().comments.filter((c) => adfText(c.body).includes(publishCommentMarker(ONCALL_PAGE_ID, LOCAL_ID)));
const storedStatus = () => (page().properties.find((p) => p.key === `pft-postmortem-${LOCAL_ID}`)?.value as { status: string } | undefined)?.status;
const digestEntries = () => Object.values(site().state.platform.kvs.entities['digest-entry'] ?? {});
const runKey = `publish-run:${ONCALL_PAGE_ID}:${LOCAL_ID}`;
const smtpMails = () => site().state.platform.outbox.filter((m) => m.from === 'Postmortem Follow-Through <postmortems@example.com>');
const jiraMails = () => site().state.platform.outbox.filter((m) => m.from?.startsWith('Jira'));

it('publishes once on a double click: published, labelled, commented, listed for the week, emailed', async () => {
  await emailToCatcher(site);
  await reviewedPostmortem(call);
  expect(value(await call(EDITOR_ID, 'getPublishState'))).toEqual({ canPublish: true });

  const [a, b] = await Promise.all([publish(), publish()]);
  const outs = [value(a), value(b)];
  expect(outs.map((o) => o.alreadyPublished).sort()).toEqual([false, true]);
  for (const o of outs) expect(o).toMatchObject({ postmortem: { status: 'published' }, run: { done: true } });

  expect(storedStatus()).toBe('published');
  expect(publishLabels()).toEqual(['postmortem', 'sev2']);
  expect(publishComments()).toHaveLength(1);
  expect(publishComments()[0].authorId).toBe(EDITOR_ID); // written as the publisher
  expect(adfText(publishComments()[0].body)).toContain('Checkout was slow for 40 minutes');
  expect(digestEntries()).toHaveLength(1);
  expect(digestEntries()[0].value).toMatchObject({ title: 'Checkout latency', severity: 'SEV2', incidentKey: 'INC-1', week: expect.stringMatching(/^\d{4}-W\d{2}$/) });
  const inbox = smtpMails();
  expect(inbox).toHaveLength(1);
  expect(inbox[0]).toMatchObject({ to: ['eng@example.com'], subject: '[Postmortem SEV2] Checkout latency', from: 'Postmortem Follow-Through <postmortems@example.com>' });
  expect(String(inbox[0].body)).toContain(`/wiki/pages/${ONCALL_PAGE_ID}`);
  // Jira's notification: INC-1's reporter (Avery) and watcher (Vic); its assignee is Eden, who published.
  expect(jiraMails()).toHaveLength(1);
  expect(jiraMails()[0]).toMatchObject({ to: ['avery@example.com', 'vic@example.com'], subject: '[Postmortem SEV2] Checkout latency' });
  const index = site().state.platform.kvs.entities.postmortem?.[`${ONCALL_PAGE_ID}:${LOCAL_ID}`]?.value as { status: string };
  expect(index.status).toBe('published');

  // A third click, much later: nothing is repeated.
  const third = value(await publish());
  expect(third.alreadyPublished).toBe(true);
  expect(third.run.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
  expect(publishComments()).toHaveLength(1);
  expect(site().state.platform.outbox).toHaveLength(2);
  expect(value(await call(EDITOR_ID, 'getPublishState'))).toMatchObject({ canPublish: false, reason: 'Published.', run: { done: true } });
});

it('after a failure part-way, Publish again finishes the rest without doing anything twice', async () => {
  await emailToCatcher(site);
  await reviewedPostmortem(call);
  // Jira keeps failing the comment beyond the client's retries.
  site().addFault({ product: 'jira', method: 'POST', path: '/comment', kind: 'server-error', times: 5 });
  const failed = await publish();
  expect(failed).toMatchObject({ ok: false, error: { code: 'upstream', message: expect.stringMatching(/^Publishing stopped part-way.*Click Publish again/) } });
  site().faults.clear();
  expect(storedStatus()).toBe('published');
  expect(publishLabels()).toEqual(['postmortem', 'sev2']);
  expect(publishComments()).toHaveLength(0);
  expect(site().state.platform.outbox).toHaveLength(0);
  // The owner may finish it (the status is already published).
  expect(value(await call(EDITOR_ID, 'getPublishState'))).toMatchObject({ canPublish: true, run: { done: false } });

  const done = value(await publish());
  expect(done).toMatchObject({ alreadyPublished: false, run: { done: true } });
  expect(publishComments()).toHaveLength(1);
  expect(publishLabels()).toEqual(['postmortem', 'sev2']);
  expect(page().labels).toHaveLength(4);
  expect(digestEntries()).toHaveLength(1);
  expect(jiraMails()).toHaveLength(1);
  expect(smtpMails()).toHaveLength(1);
  expect(value(await publish())).toMatchObject({ alreadyPublished: true });
  expect(site().state.platform.outbox).toHaveLength(2);
});

it('a crash after posting the comment and labelling, before recording either, does not duplicate them', async () => {
  await reviewedPostmortem(call);
  site().mail.failNext = 0;
  // No email list: the email step is skipped. Publish, then roll the record back as if the function had died
  // right after Jira and Confluence answered.
  value(await publish());
  const record = site().state.platform.kvs.values[runKey];
  const run = record.value as PublishRun;
  // Jira's notification was asked for (its intent is recorded before the request): it is never asked twice.
  // (The comment's intent was recorded before posting, so a crash after posting leaves it: that is what
  // lets the retry know the comment as the app's own — src/services/app-comments.ts.)
  expect(run.steps.commentIntent).toBeDefined();
  record.value = { ...run, done: false, steps: { status: run.steps.status, notifyIntent: run.steps.notifyIntent, commentIntent: run.steps.commentIntent } };
  const commentsBefore = incident().comments.length;

  const again = value(await publish());
  expect(again).toMatchObject({ alreadyPublished: false, run: { done: true } });
  expect(incident().comments.length).toBe(commentsBefore);
  expect(publishComments()).toHaveLength(1);
  expect(publishLabels()).toEqual(['postmortem', 'sev2']);
  expect(digestEntries()).toHaveLength(1);
  expect(jiraMails()).toHaveLength(1);
  expect(again.run.steps.find((s) => s.step === 'email')).toEqual({ step: 'email', state: 'skipped', detail: 'Email over SMTP is off (experimental; app settings).' });
});

it('only the incident owner publishes, only a reviewed postmortem, and a refusal changes nothing', async () => {
  await emailToCatcher(site);
  // In review: not yet.
  const loaded = value(await call(EDITOR_ID, 'loadPostmortem'));
  const draft = { ...loaded.postmortem, title: 'Checkout latency', incidentKey: 'INC-1', incidentOwner: { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' } };
  value(await call(EDITOR_ID, 'savePostmortem', { postmortem: draft, base: loaded.postmortem, baseVersion: 0 }));
  expect(await publish()).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/move it to Reviewed first/) } });

  await reviewedPostmortem(call);
  expect(await publish(ADMIN_ID)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only the incident owner, Eden Editor, can publish it.' } });
  expect(await publish(VIEWER_ID)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only people who can edit this page can publish its postmortem.' } });
  expect(value(await call(ADMIN_ID, 'getPublishState'))).toEqual({ canPublish: false, reason: 'Only the incident owner, Eden Editor, can publish it.' });
  // Publishing by saving the status is refused too: only Publish does it, with its side effects.
  const current = value(await call(EDITOR_ID, 'loadPostmortem'));
  const direct = await call(EDITOR_ID, 'savePostmortem', { postmortem: { ...current.postmortem, status: 'published' }, base: current.postmortem, baseVersion: current.version });
  expect(direct).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { status: 'Only Publish marks a postmortem as published.' } } });

  expect(storedStatus()).toBe('reviewed');
  expect(publishLabels()).toEqual([]);
  expect(publishComments()).toHaveLength(0);
  expect(digestEntries()).toHaveLength(0);
  expect(site().state.platform.outbox).toHaveLength(0);
  expect(site().state.platform.kvs.values[runKey]).toBeUndefined();
});

it('with a team as owner any page editor publishes; an incident the publisher cannot see is skipped, not failed', async () => {
  await reviewedPostmortem(call, { incidentOwner: { kind: 'team', id: 'Payments', displayName: 'Payments' }, incidentKey: 'SEC-1' }, ADMIN_ID);
  // Eden may edit the page; take away their access to the SEC project for this test.
  const sec = site().state.jira.projects.find((p) => p.key === 'SEC')!;
  delete sec.access[EDITOR_ID];
  const out = value(await publish(EDITOR_ID));
  expect(out.run.steps.find((s) => s.step === 'comment')).toEqual({ step: 'comment', state: 'skipped', detail: 'You cannot see SEC-1 in Jira, so it was not commented on.' });
  expect(out.run.steps.find((s) => s.step === 'notify')).toEqual({ step: 'notify', state: 'skipped', detail: 'You cannot see SEC-1 in Jira, so nobody was notified there.' });
  expect(site().state.platform.outbox).toHaveLength(0);
  expect(storedStatus()).toBe('published');
});
