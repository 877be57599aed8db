/**
 * Eight weeks of daily follow-up runs on the local site's clock: the exact comments posted (cadence, cap,
 * weekends, mentions, hand-over), a duplicated trigger, a failure mid-run, 429s, an item closed half-way,
 * and the reminder for incidents without a postmortem.
 */
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { CreateRun } from '../../src/contract/action-items';
import type { ActionItem } from '../../src/contract/postmortem';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { invokeUi, macroDriver, value, type UiArgs, type UiFunction } from '../support/ui-driver';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { APP_ACCOUNT_ID } from '../../local-site/jira/render';
import type { LocalSite } from '../../local-site/site';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday; the daily trigger then fires at 09:00 UTC
const site = useLocalSite({ startAt: START });
const LOCAL_ID = 'f0110000-0000-4000-8000-000000000005';
const DAY = 86_400_000;

const macro = <F extends UiFunction<'pft-postmortem'>>(s: LocalSite, accountId: string, functionKey: F, ...args: UiArgs<'pft-postmortem', F>) =>
  macroDriver(s, LOCAL_ID, ONCALL_PAGE_ID)(accountId, functionKey, ...args);

const item = (id: string, over: Partial<ActionItem>): ActionItem => ({ id, title: `Item ${id}`, description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'accepted', ...over });

/** A postmortem owned by Avery with four action items, created as Jira issues by Eden; returns item id → issue key. */
async function arrange(s: LocalSite): Promise<Record<string, string>> {
  value(await invokeUi(s, 'pft-settings', ADMIN_ID, {}, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, maxFollowUps: 2 } }));
  const loaded = value<LoadedPostmortem>(await macro(s, EDITOR_ID, 'loadPostmortem'));
  const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };
  const pm = {
    ...loaded.postmortem,
    title: 'Checkout latency',
    incidentKey: 'INC-1',
    incidentOwner: { kind: 'user' as const, id: ADMIN_ID, displayName: 'Avery Admin' },
    actionItems: [
      item('unassigned', {}),
      item('stale', { owner: eden, dueDate: '2027-06-30' }),
      item('overdue', { owner: eden, dueDate: '2026-11-09' }),
      item('closed-later', {}),
    ],
  };
  value<SaveOutcome>(await macro(s, EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: 0 }));
  const run = value<CreateRun>(await macro(s, EDITOR_ID, 'createIssues', {}));
  return Object.fromEntries(run.outcomes.map((o) => [o.itemId, 'issueKey' in o ? o.issueKey : '']));
}

/** App comments on an issue as [date, text] with mentions shown as @accountId. */
function appComments(s: LocalSite, key: string): { day: string; text: string; mentions: string[] }[] {
  const issue = s.state.jira.issues.find((i) => i.key === key)!;
  const text = (n: any): string => (n.type === 'text' ? n.text : n.type === 'mention' ? `@${n.attrs.id}` : (n.content ?? []).map(text).join(n.type === 'doc' ? '\n' : ''));
  const mentions = (n: any): string[] => (n.type === 'mention' ? [n.attrs.id] : (n.content ?? []).flatMap(mentions));
  return issue.comments.filter((c) => c.authorId === APP_ACCOUNT_ID).map((c) => ({ day: c.created.slice(0, 10), text: text(c.body), mentions: mentions(c.body) }));
}

async function runWeeks(s: LocalSite, weeks: number, during?: (day: number) => Promise<void>): Promise<void> {
  for (let d = 1; d <= weeks * 7; d += 1) {
    await s.advanceClock(DAY);
    await s.drainQueue();
    if (during) await during(d);
  }
}

it('posts gentle follow-ups on cadence, skips weekends, caps them, hands over, and stops when an item is closed', async () => {
  const s = site();
  const keys = await arrange(s);
  await runWeeks(s, 8, async (day) => {
    if (day === 8) {
      // 2026-11-10: the team closes one item; it must get no more follow-ups.
      const issue = s.state.jira.issues.find((i) => i.key === keys['closed-later'])!;
      issue.statusId = s.state.jira.statuses.find((st) => st.statusCategory === 'done')!.id;
    }
  });

  const unassigned = appComments(s, keys.unassigned);
  expect(unassigned.map((c) => c.day)).toEqual(['2026-11-03', '2026-11-23', '2026-12-11']);
  expect(unassigned[0].text).toMatch(/nobody is assigned to it yet/);
  expect(unassigned[0].text).toMatch(/Won.t Do/);
  expect(unassigned[0].text).toContain('Follow-up 1 of 2 from Postmortem Follow-Through.');
  expect(unassigned[0].mentions).toEqual([ADMIN_ID]); // unassigned: the postmortem owner is asked
  expect(unassigned[2].text).toMatch(/has had 2 follow-ups without moving/);
  expect(unassigned[2].mentions).toEqual([ADMIN_ID]);

  const stale = appComments(s, keys.stale);
  expect(stale.map((c) => c.day)).toEqual(['2026-11-20', '2026-12-10']);
  expect(stale[0].text).toMatch(/nobody has updated it for 14 business days/);
  expect(stale[0].mentions).toEqual([EDITOR_ID]);

  const overdue = appComments(s, keys.overdue);
  expect(overdue.map((c) => c.day)).toEqual(['2026-11-10', '2026-11-30', '2026-12-18']);
  expect(overdue[0].text).toMatch(/it was due on 2026-11-09/);

  expect(appComments(s, keys['closed-later']).map((c) => c.day)).toEqual(['2026-11-03']);

  // Never on a weekend.
  const all = [...unassigned, ...stale, ...overdue];
  expect(all.every((c) => ![0, 6].includes(new Date(`${c.day}T12:00:00Z`).getUTCDay()))).toBe(true);
  // The issue panel shows them.
  const origin = value<{ followUps: unknown[] }>(await invokeUi(s, 'pft-action-item-origin', EDITOR_ID, { extension: { issue: { key: keys.overdue } } }, 'getOrigin'));
  expect(origin.followUps).toHaveLength(2);
});

it('posts nothing twice under a duplicated trigger, a failure mid-run, and 429s', async () => {
  const s = site();
  const keys = await arrange(s);
  s.duplicateTriggerFiring = true;
  s.addFault({ product: 'jira', kind: 'rate-limit', retryAfterSeconds: 0, probability: 0.15 });
  // The first comment of the first run times out: that batch fails and is retried by the queue.
  s.addFault({ product: 'jira', method: 'POST', path: /\/comment$/, kind: 'timeout', afterMs: 5, times: 1 });
  await runWeeks(s, 8);
  expect(appComments(s, keys.unassigned).map((c) => c.day)).toEqual(['2026-11-03', '2026-11-23', '2026-12-11']);
  expect(appComments(s, keys.stale).map((c) => c.day)).toEqual(['2026-11-20', '2026-12-10']);
  expect(appComments(s, keys.overdue).map((c) => c.day)).toEqual(['2026-11-10', '2026-11-30', '2026-12-18']);
  expect(s.log.count({ status: 429 })).toBeGreaterThan(0);
});

it('reminds the assignee of each resolved incident without a postmortem, once', async () => {
  const s = site();
  await arrange(s); // INC-1 has its postmortem
  await runWeeks(s, 8);
  const incidents = s.state.jira.issues.filter((i) => i.key.startsWith('INC-'));
  for (const incident of incidents) {
    const reminders = appComments(s, incident.key).filter((c) => c.text.includes('Postmortem reminder from Postmortem Follow-Through.'));
    if (incident.key === 'INC-1' || !incident.resolutiondate) {
      expect(reminders).toEqual([]);
    } else {
      expect(reminders).toHaveLength(1);
      if (incident.assigneeId) expect(reminders[0].mentions).toEqual([incident.assigneeId]);
      expect(reminders[0].text).toContain(`resolved on ${incident.resolutiondate.slice(0, 10)}`);
    }
  }
});

it('measures staleness from the last human activity: the app\'s comments do not count, a person\'s comment or status change does', async () => {
  const s = site();
  const keys = await arrange(s);
  const issue = (key: string) => s.state.jira.issues.find((i) => i.key === key)!;
  const report = async () =>
    value<{ counts: { stale: number; attention: number } }>(await invokeUi(s, 'pft-follow-through', EDITOR_ID, {}, 'getReportSummary', {}));
  const rows = async () =>
    value<{ rows: { key: string; reasons: string[]; lastHumanActivity: string; updated: string }[] }>(await invokeUi(s, 'pft-follow-through', EDITOR_ID, {}, 'getReportPage', { reason: 'stale' }));
  await runWeeks(s, 3); // to Monday 23 November: the stale item had its first follow-up on Friday 20 November
  const stale = issue(keys.stale);
  expect(appComments(s, keys.stale).map((c) => c.day)).toEqual(['2026-11-20']);
  expect(stale.updated.slice(0, 10)).toBe('2026-11-20'); // the app's comment bumped `updated`, as in Jira
  // Still stale in the report, aged from its creation (the last human activity), not from the comment.
  const row = (await rows()).rows.find((r) => r.key === keys.stale)!;
  expect(row).toMatchObject({ reasons: ['stale'], lastHumanActivity: stale.created });
  expect((await report()).counts.stale).toBeGreaterThanOrEqual(1);
  const before = (await report()).counts.stale;
  // The app recorded the day of the human activity in its property, for JQL (only a hint: the decision reads the
  // exact instant from Forge storage), in one bulk request for the batch.
  expect(stale.properties['postmortem-follow-up']).toEqual({ humanActivityAt: `${stale.created.slice(0, 10)}T00:00:00.000Z` });
  expect(s.log.count({ product: 'jira', endpoint: '/rest/api/3/issue/properties/{propertyKey}' })).toBeGreaterThanOrEqual(1);
  expect(s.log.count({ product: 'jira', endpoint: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', method: 'PUT' })).toBe(0);

  // Eden answers: no longer stale, in the report or for the job.
  await s.handleProduct('jira', { method: 'POST', path: `/rest/api/3/issue/${keys.stale}/comment`, query: new URLSearchParams(), headers: {}, actor: { kind: 'user', accountId: EDITOR_ID }, body: { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'On it.' }] }] } } });
  expect((await rows()).rows.map((r) => r.key)).not.toContain(keys.stale);
  expect((await report()).counts.stale).toBe(before - 1);
});

it('never calls an item unprioritized for the priority the app set from its impact, even when that is Jira\'s default', async () => {
  const s = site();
  value(await invokeUi(s, 'pft-settings', ADMIN_ID, {}, 'saveSettings', { settings: DEFAULT_SETTINGS }));
  const loaded = value<LoadedPostmortem>(await macro(s, EDITOR_ID, 'loadPostmortem'));
  const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };
  const pm = { ...loaded.postmortem, title: 'Medium impact', actionItems: [item('medium', { owner: eden, impact: 'medium' })] };
  value<SaveOutcome>(await macro(s, EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: 0 }));
  const run = value<CreateRun>(await macro(s, EDITOR_ID, 'createIssues', {}));
  const key = (run.outcomes[0] as { issueKey: string }).issueKey;
  const issue = s.state.jira.issues.find((i) => i.key === key)!;
  const medium = s.state.jira.priorities.find((p) => p.name === 'Medium')!;
  expect(medium.isDefault).toBe(true);
  expect(issue.priorityId).toBe(medium.id); // the mapping's Medium is also Jira's default
  await runWeeks(s, 1);
  expect(appComments(s, key)).toEqual([]);
  const summary = value<{ counts: { unprioritized: number } }>(await invokeUi(s, 'pft-follow-through', EDITOR_ID, {}, 'getReportSummary', {}));
  expect(summary.counts.unprioritized).toBe(0);

  // The same Medium without the app's record of choosing it (an issue from before it kept one) is Jira's default nobody chose.
  delete (issue.properties['postmortem-action-item'] as { impactPriority?: string }).impactPriority;
  await runWeeks(s, 1);
  expect(appComments(s, key).map((c) => c.text)).toEqual([expect.stringContaining('it has no priority of its own yet')]);
});

it('acts on each batch as Jira has it when the batch runs: one read per batch, comments read only for an item that changed since the search', async () => {
  const s = site();
  const keys = await arrange(s);
  const issue = (key: string) => s.state.jira.issues.find((i) => i.key === key)!;
  // Tuesday 3 November, 08:00: the daily search finds the unassigned and the closed-later items (both unassigned).
  await s.advanceClock(23 * 3_600_000);
  await s.runScheduledTrigger('pft-daily-follow-up');
  // Before the queued batch runs, Eden closes one and comments on the other.
  const done = s.state.jira.statuses.find((st) => st.statusCategory === 'done')!;
  const closed = issue(keys['closed-later']);
  closed.statusId = done.id;
  closed.updated = s.now().toISOString();
  await s.handleProduct('jira', { method: 'POST', path: `/rest/api/3/issue/${keys.unassigned}/comment`, query: new URLSearchParams(), headers: {}, actor: { kind: 'user', accountId: EDITOR_ID }, body: { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Looking for an owner.' }] }] } } });
  s.log.clear();
  await s.drainQueue();
  // The closed item gets nothing; the other is still unassigned and gets its first follow-up.
  expect(appComments(s, keys['closed-later'])).toEqual([]);
  expect(appComments(s, keys.unassigned).map((c) => c.text.includes('Follow-up 1 of 2'))).toEqual([true]);
  expect(s.log.count({ product: 'jira', method: 'POST', endpoint: '/rest/api/3/issue/bulkfetch' })).toBe(1);
  // Only the item that changed since the search had its comments read (to tell a person's comment from the app's).
  const onItems = (method: string) =>
    s.log.entries.filter((e) => e.method === method && e.endpoint === '/rest/api/3/issue/{issueIdOrKey}/comment' && [keys.unassigned, keys['closed-later']].some((k) => e.path.includes(`/issue/${k}/`))).length;
  expect(onItems('GET')).toBe(1);
  expect(onItems('POST')).toBe(1);
});
