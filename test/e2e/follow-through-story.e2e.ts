/**
 * The whole follow-through story in the browser: three action items nobody touches for three weeks while
 * the daily job runs every day. The report shows them stale, aged from the last human activity (the app's
 * own follow-ups do not count); each item got exactly the follow-ups the cadence allows; a person's comment
 * and a person's status change in the same minute as a follow-up restart the clock.
 */
import type { ActionItem } from '../../src/contract/postmortem';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { APP_ACCOUNT_ID } from '../../local-site/jira/render';
import type { LocalSite } from '../../local-site/site';
import { useBrowserSite } from './support/browser';
import { postmortemWithIssues, value } from './support/arrange';
import { invokeUi } from '../support/ui-driver';

const START = new Date('2026-11-02T09:00:00Z'); // a Monday; the daily trigger fires at 09:00 UTC
const env = useBrowserSite({ startAt: START });
const DAY = 86_400_000;
const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };

const item = (id: string, title: string): ActionItem => ({ id, title, description: '', owner: eden, effort: 'low', impact: 'high', dueDate: '2099-03-01', state: 'accepted' });

async function arrange(s: LocalSite): Promise<Record<string, string>> {
  // Stale after 5 business days, then a follow-up every 3, at most 3, then the hand-over.
  value(await invokeUi(s, 'pft-settings', ADMIN_ID, {}, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, staleAfterDays: 5, followUpIntervalDays: 3, maxFollowUps: 3 } }));
  return postmortemWithIssues(s, 'dddddddd-0000-4000-8000-000000000001', { title: 'Queue backlog', incidentKey: 'INC-1', incidentOwner: { kind: 'user' as const, id: ADMIN_ID, displayName: 'Avery Admin' }, actionItems: [item('untouched', 'Alert on queue depth'), item('commented', 'Autoscale the consumers'), item('moved', 'Shed load at the gateway')] });
}

/** The app's comments on an issue: the day, the minute and the marker line. */
function appComments(s: LocalSite, key: string): { day: string; minute: string; marker: string }[] {
  const text = (n: any): string => (n.type === 'text' ? n.text : (n.content ?? []).map(text).join('\n'));
  return s.state.jira.issues
    .find((i) => i.key === key)!
    .comments.filter((c) => c.authorId === APP_ACCOUNT_ID)
    .map((c) => ({ day: c.created.slice(0, 10), minute: c.created.slice(0, 16), marker: text(c.body).match(/(Follow-up \d of \d|Handed over)/)?.[0] ?? '' }));
}

it('shows items stale since the last human activity, with exactly the follow-ups the cadence allows', async () => {
  const { site: s } = env();
  const keys = await arrange(s);
  const page = await env().pageAs(EDITOR_ID);
  let statusChangedAt = '';

  for (let day = 1; day <= 21; day += 1) {
    await s.advanceClock(DAY); // the daily trigger fires at 09:00
    await s.drainQueue();
    const today = s.now().toISOString().slice(0, 10);
    if (today === '2026-11-10') {
      // The day after the first follow-up, Eden answers on one item.
      await page.goto(`/jira/browse/${keys.commented}`);
      await page.getByLabel('Add a comment').fill('Picked this up, the autoscaler config is in review.');
      await page.getByRole('button', { name: 'Comment' }).click();
      await page.locator('#comments').getByText('Picked this up').waitFor();
    }
    if (today === '2026-11-12') {
      // Right after the job's second follow-up, in the same minute, Eden moves another item.
      await page.goto(`/jira/browse/${keys.moved}`);
      await page.getByLabel('Transition').selectOption({ label: 'In Progress' });
      await page.getByRole('button', { name: 'Move' }).click();
      await page.locator('#transition-form').getByText('In Progress').waitFor();
      statusChangedAt = s.state.jira.issues.find((i) => i.key === keys.moved)!.updated;
    }
  }
  expect(s.now().toISOString().slice(0, 10)).toBe('2026-11-23');

  // Untouched: first when stale (5 business days after creation), then every 3 business days, up to 3, then the hand-over.
  expect(appComments(s, keys.untouched)).toEqual([
    expect.objectContaining({ day: '2026-11-09', marker: 'Follow-up 1 of 3' }),
    expect.objectContaining({ day: '2026-11-12', marker: 'Follow-up 2 of 3' }),
    expect.objectContaining({ day: '2026-11-17', marker: 'Follow-up 3 of 3' }),
    expect.objectContaining({ day: '2026-11-20', marker: 'Handed over' }),
  ]);
  // Commented on 10 Nov: stale again 5 business days later, and the count starts again.
  expect(appComments(s, keys.commented)).toEqual([
    expect.objectContaining({ day: '2026-11-09', marker: 'Follow-up 1 of 3' }),
    expect.objectContaining({ day: '2026-11-17', marker: 'Follow-up 1 of 3' }),
    expect.objectContaining({ day: '2026-11-20', marker: 'Follow-up 2 of 3' }),
  ]);
  // Moved in the same minute as the app's second follow-up: that counts as activity.
  const moved = appComments(s, keys.moved);
  expect(moved[1].minute).toBe(statusChangedAt.slice(0, 16));
  expect(moved).toEqual([
    expect.objectContaining({ day: '2026-11-09', marker: 'Follow-up 1 of 3' }),
    expect.objectContaining({ day: '2026-11-12', marker: 'Follow-up 2 of 3' }),
    expect.objectContaining({ day: '2026-11-19', marker: 'Follow-up 1 of 3' }),
  ]);

  // The report: all three stale, each aged from its last human activity, not from the app's latest comment.
  await page.goto('/jira/projects/OPS/apps/pft-follow-through-project');
  const app = page.frameLocator('iframe.forge-frame');
  const cards = app.getByRole('region', { name: 'Open action items by reason' });
  await cards.getByRole('button', { name: /^3 Stale\b/ }).waitFor();
  await cards.getByRole('button', { name: /^3 Need attention\b/ }).waitFor();
  const table = app.locator('table.items');
  await table.locator(`tr[data-key="${keys.untouched}"]`).waitFor();
  expect(await table.locator('thead th').nth(7).innerText()).toBe('Updated by a person');
  const row = async (key: string) => {
    const r = table.locator(`tr[data-key="${key}"]`);
    return { updated: await r.locator('td').nth(7).innerText(), reasons: await r.locator('td').nth(8).innerText(), why: await r.locator('td').nth(8).locator('[title]').first().getAttribute('title'), followUps: await r.locator('td').nth(9).innerText() };
  };
  expect(await row(keys.untouched)).toEqual({ updated: '11/02/2026', reasons: 'STALE', why: expect.stringContaining('nobody has updated it for 15 business days'), followUps: '3' });
  expect(await row(keys.commented)).toEqual({ updated: '11/10/2026', reasons: 'STALE', why: expect.stringContaining('nobody has updated it for 9 business days'), followUps: '3' });
  expect(await row(keys.moved)).toEqual({ updated: '11/12/2026', reasons: 'STALE', why: expect.stringContaining('nobody has updated it for 7 business days'), followUps: '3' });
}, 240_000);
