/**
 * The macro as people meet it: an owner typed as a person stays a person (and the field says which it chose),
 * and a tab that is behind shows the issues someone else created instead of silently doing nothing.
 */
import type { FrameLocator, Page } from 'playwright-core';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { ActionItem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { EDITOR_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';
import { insertMacroInBrowser } from './support/arrange';

const env = useBrowserSite();
jest.setTimeout(90_000);
const macro = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame').first();
const waitSaved = (app: FrameLocator) => app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();

it('guesses person or team from what is typed, says which before anything is created, and both owner fields do the same', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await insertMacroInBrowser(page, ONCALL_PAGE_ID);
  const app = macro(page);

  await app.getByLabel('New action item').fill('Alert on checkout error rate');
  await app.getByRole('button', { name: 'Add action item' }).click();
  const owner = app.getByLabel('Owner of action item 1', { exact: true });
  const note = app.locator(`[id="${await owner.getAttribute('aria-describedby')}"]`);
  const kind = app.getByLabel('Owner of action item 1: person or team');

  await owner.fill('Eden Editor <eden@example.com>');
  await note.filter({ hasText: 'Saved as a person: Eden Editor (an email address)' }).waitFor();
  expect(await kind.inputValue()).toBe('user');
  await owner.fill('Eden Editor');
  await note.filter({ hasText: 'Saved as a person: Eden Editor (a Jira user)' }).waitFor();
  expect(await kind.inputValue()).toBe('user');
  await owner.fill('Payments');
  await note.filter({ hasText: 'Saved as a team: Payments (no Jira user has this name)' }).waitFor();
  expect(await kind.inputValue()).toBe('team');
  await owner.fill('Eden Editor <eden@example.com>');
  await note.filter({ hasText: 'Saved as a person: Eden Editor' }).waitFor();

  // The incident owner guesses the same way.
  const incidentOwner = app.getByLabel('Incident owner', { exact: true });
  await incidentOwner.fill('Payments');
  await app.locator('#pm-owner-kind-note').filter({ hasText: 'Saved as a team: Payments' }).waitFor();
  await incidentOwner.fill('Avery Admin');
  await app.locator('#pm-owner-kind-note').filter({ hasText: 'Saved as a person: Avery Admin (a Jira user)' }).waitFor();

  await app.getByLabel('State of action item 1').selectOption('accepted');
  await waitSaved(app);
  await app.getByRole('button', { name: 'Create all Jira issues (1)' }).click();
  const issue = app.getByLabel('Jira issue of action item 1');
  await issue.getByText('Eden Editor').waitFor();
  const key = (await issue.getByText(/^OPS-\d+$/).textContent())!;
  const created = env().site.state.jira.issues.find((i) => i.key === key)!;
  expect(created.assigneeId).toBe(EDITOR_ID);
  expect(created.labels.filter((l) => l.startsWith('team-'))).toEqual([]);
});

it('a tab that is behind shows the issues someone else created, and catches up when it gets focus', async () => {
  const { site } = env();
  const localId = 'e2e00000-0000-4000-8000-000000000111';
  site.placeMacro(CATALOGUE_PAGE_ID, 'pft-postmortem', localId, 'Postmortem');
  const call = (functionKey: string, payload?: unknown) => site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId, extension: { content: { id: CATALOGUE_PAGE_ID, type: 'page' } } });
  const loaded = (await call('loadPostmortem')) as Result<LoadedPostmortem>;
  if (!loaded.ok) throw new Error(loaded.error.message);
  const items: ActionItem[] = ['Alert on lag', 'Runbook for failover', 'Load-test the queue'].map((title, i) => ({ id: `tab-${i}`, title, description: '', owner: { kind: 'team', id: 'SRE', displayName: 'SRE' }, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' }));
  expect(((await call('savePostmortem', { postmortem: { ...loaded.value.postmortem, actionItems: items }, base: loaded.value.postmortem, baseVersion: loaded.value.version })) as Result<SaveOutcome>).ok).toBe(true);

  // Three tabs open on the page before anyone creates the issues.
  const [first, behind, idle] = [await env().pageAs(EDITOR_ID), await env().pageAs(EDITOR_ID), await env().pageAs(EDITOR_ID)];
  for (const tab of [first, behind, idle]) {
    await tab.goto(`/wiki/pages/${CATALOGUE_PAGE_ID}`);
    await macro(tab).getByRole('button', { name: 'Create all Jira issues (3)' }).waitFor();
  }
  await macro(first).getByRole('button', { name: 'Create all Jira issues (3)' }).click();
  for (const n of [1, 2, 3]) await macro(first).getByLabel(`Jira issue of action item ${n}`).getByText('To Do').waitFor();
  const keys = await Promise.all([1, 2, 3].map(async (n) => (await macro(first).getByLabel(`Jira issue of action item ${n}`).getByText(/^OPS-\d+$/).textContent())!));

  // The tab that is behind clicks Create all: it is told the issues exist, with their keys and status.
  const app = macro(behind);
  await app.getByRole('button', { name: 'Create all Jira issues (3)' }).click();
  const notice = app.getByRole('status', { name: 'Issues created elsewhere' });
  await notice.getByText(`${keys[2]} (To Do)`, { exact: false }).waitFor();
  expect(await notice.textContent()).toBe(`These 3 items already had their Jira issues, created by someone else (or in another tab), so nothing new was created: ${keys.map((k) => `${k} (To Do)`).join(', ')}.`);
  for (const [i, key] of keys.entries()) await app.getByLabel(`Jira issue of action item ${i + 1}`).getByText(key).waitFor();
  expect(await app.getByRole('button', { name: /Create all Jira issues/ }).count()).toBe(0);
  expect(site.state.jira.issues.filter((i) => (i.properties['postmortem-action-item'] as { localId?: string } | undefined)?.localId === localId)).toHaveLength(3);

  // The idle tab catches up when it regains focus, without a click or a reload.
  await idle.bringToFront();
  await idle.frames().find((f) => f !== idle.mainFrame())!.evaluate('window.dispatchEvent(new Event("focus"))');
  for (const [i, key] of keys.entries()) await macro(idle).getByLabel(`Jira issue of action item ${i + 1}`).getByText(key).waitFor();
  expect(await macro(idle).getByRole('button', { name: /Create all Jira issues/ }).count()).toBe(0);
});
