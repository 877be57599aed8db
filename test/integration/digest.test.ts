/**
 * The weekly digest through the local site: a seeded week (a postmortem published, action items completed
 * that week and the next), the page written by the scheduled trigger on the site clock, and reruns — fired
 * twice, run again — that add nothing.
 */
import { weekById } from '../../src/domain/publish';
import { writeDigest } from '../../src/jobs/weekly-digest';
import { useLocalSite } from './support/site';
import { macroCall, reviewedPostmortem, saveSettings, value } from './support/publishing';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';

// Wednesday of ISO week 2026-W47 (16–22 November).
const site = useLocalSite({ startAt: new Date('2026-11-18T10:00:00Z') });
const LOCAL_ID = 'd1d1d1d1-0000-4000-8000-000000000047';
const call = macroCall(site, LOCAL_ID);
const TITLE = 'Postmortem digest 2026-W47 (2026-11-16 to 2026-11-22)';
const DAY = 86_400_000;

const digestPages = () => site().state.confluence.pages.filter((p) => p.title.startsWith('Postmortem digest'));
const textOf = (adf: unknown) => JSON.stringify(adf);

async function finish(key: string): Promise<void> {
  const done = site().state.jira.statuses.find((s) => s.name === 'Done')!;
  const out = await site().handleProduct('jira', { method: 'POST', path: `/rest/api/3/issue/${key}/transitions`, query: new URLSearchParams(), headers: {}, body: { transition: { id: done.id } }, actor: { kind: 'user', accountId: EDITOR_ID } });
  expect(out.status).toBe(204);
}

async function seedWeek(): Promise<string[]> {
  await saveSettings(site, { digestEnabled: true, digestSpaceKey: 'ENG' });
  const items = ['Alert on pool saturation', 'Load-test checkout', 'Runbook for the pool'].map((title, i) => ({
    id: `item-${i}`, title, description: '', owner: null, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const,
  }));
  await reviewedPostmortem(call, { actionItems: items });
  const run = value(await call(EDITOR_ID, 'createIssues', {}));
  const keys = run.outcomes.map((o) => ('issueKey' in o ? o.issueKey : ''));
  value(await call(EDITOR_ID, 'publishPostmortem'));
  await finish(keys[0]); // done this week
  return keys;
}

it('writes one page for the week on the weekly trigger, and reruns add nothing', async () => {
  const keys = await seedWeek();
  // Into the next week: the third item is done then, so it belongs to W48, not to this digest.
  await site().advanceClock(6 * DAY);
  await finish(keys[2]);

  site().duplicateTriggerFiring = true; // the platform may fire a trigger twice
  await site().runScheduledTrigger('pft-weekly-digest');
  expect(digestPages().map((p) => p.title)).toEqual([TITLE]);
  const page = digestPages()[0];
  expect(page.version.number).toBe(1);
  expect(page.authorId).toMatch(/forge-app/); // written as the app
  const body = textOf(page.body);
  expect(body).toContain('Checkout latency');
  expect(body).toContain('Postmortems published (1)');
  expect(body).toContain('Action items completed (1)');
  expect(body).toContain(keys[0]);
  expect(body).not.toContain(keys[2]);
  expect(body).not.toContain(keys[1]);
  expect(body).toContain('http://localhost:5173/browse/INC-1');

  // Run again directly for the same week: the page is found by its title and left as it is.
  const again = await site().asInvocation(undefined, () => writeDigest(weekById('2026-W47', 'UTC')!));
  expect(again).toEqual({ week: '2026-W47', page: 'unchanged', pageId: page.id, postmortems: 1, completed: 1 });
  expect(digestPages()).toHaveLength(1);
  expect(digestPages()[0].version.number).toBe(1);

  // Jira changed its mind about the week (an item reopened): the same page is brought up to date, not duplicated.
  const reopened = site().state.jira.issues.find((i) => i.key === keys[0])!;
  reopened.resolutiondate = '2026-11-30T10:00:00.000Z';
  const updated = await site().asInvocation(undefined, () => writeDigest(weekById('2026-W47', 'UTC')!));
  expect(updated).toMatchObject({ page: 'updated', pageId: page.id, completed: 0 });
  expect(digestPages()).toHaveLength(1);
  expect(digestPages()[0].version.number).toBe(2);
  expect(textOf(digestPages()[0].body)).toContain('No action items were completed this week.');
});

it('writes nothing when the digest is off, for an empty week, or for a space that is gone', async () => {
  await reviewedPostmortem(call);
  value(await call(EDITOR_ID, 'publishPostmortem'));
  await site().runScheduledTrigger('pft-weekly-digest'); // off by default
  expect(digestPages()).toHaveLength(0);

  const empty = await site().asInvocation(undefined, () => writeDigest(weekById('2026-W40', 'UTC')!));
  expect(empty).toEqual({ week: '2026-W40', page: 'empty', postmortems: 0, completed: 0 });

  await saveSettings(site, { digestEnabled: true, digestSpaceKey: 'ENG' });
  site().state.confluence.spaces = site().state.confluence.spaces.filter((s) => s.key !== 'ENG');
  const noSpace = await site().asInvocation(undefined, () => writeDigest(weekById('2026-W47', 'UTC')!));
  expect(noSpace).toMatchObject({ page: 'no-space', postmortems: 1 });
  expect(digestPages()).toHaveLength(0);
});

it('refuses a digest space that does not exist when the digest is switched on, storing nothing', async () => {
  const out = await site().invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: { ...DEFAULT_SETTINGS, digestEnabled: true, digestSpaceKey: 'NOPE' } } }, { accountId: ADMIN_ID });
  expect(out).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { digestSpaceKey: 'There is no Confluence space NOPE that you can see.' } } });
  expect(site().state.platform.kvs.values['settings:v1']).toBeUndefined();
});
