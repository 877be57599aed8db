/**
 * Action items become Jira issues from the macro: the editor accepts three items, clicks Create all (twice, as
 * people do), sees one issue per item with its live status; the issue in Jira shows where it came from; moving
 * it in Jira shows on the page after a reload; the viewer sees what they may see.
 */
import api, { route } from '@forge/api';
import type { FrameLocator, Page } from 'playwright-core';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { ActionItem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { screenshotPath, useBrowserSite } from './support/browser';
import { insertMacroInBrowser } from './support/arrange';

const env = useBrowserSite();
jest.setTimeout(60_000);

const macro = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame').first();

async function waitSaved(app: FrameLocator) {
  await app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();
}

async function addItem(app: FrameLocator, n: number, title: string, owner: { kind: 'user' | 'team'; text: string }) {
  await app.getByLabel('New action item').fill(title);
  await app.getByRole('button', { name: 'Add action item' }).click();
  await app.getByLabel(`Owner of action item ${n}: person or team`).selectOption(owner.kind);
  await app.getByLabel(`Owner of action item ${n}`, { exact: true }).fill(owner.text);
  await app.getByLabel(`State of action item ${n}`).selectOption('accepted');
}

/** Every issue in the site's Jira carrying the action-item property of this page (as the app sees it). */
async function actionItemIssues(pageId = ONCALL_PAGE_ID): Promise<string[]> {
  const site = env().site;
  const found = await site.asInvocation(EDITOR_ID, async () => {
    const res = await api.asApp().requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jql: `pmPageId = "${pageId}" ORDER BY key ASC`, fields: ['summary'], maxResults: 100 }),
    });
    return (await res.json()) as { issues: { key: string }[] };
  });
  return found.issues.map((i) => i.key);
}

it('Create all makes one issue per accepted item, shows live status, links both ways, and follows Jira', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await insertMacroInBrowser(page, ONCALL_PAGE_ID);

  const app = macro(page);
  await app.getByLabel('Summary', { exact: true }).fill('Checkout returned errors for 40 minutes after release 42.');
  await addItem(app, 1, 'Alert on checkout error rate', { kind: 'user', text: 'Eden Editor <557058:eden-editor>' });
  await addItem(app, 2, 'Canary releases for checkout', { kind: 'team', text: 'Payments' });
  await addItem(app, 3, 'Runbook for rolling back a release', { kind: 'team', text: 'SRE' });
  // Where they go: the settings' default, among the projects this person can see.
  const project = app.getByLabel('Jira project for action items');
  expect(await project.inputValue()).toBe('OPS');
  expect(await project.locator('option').allTextContents()).toEqual(['Incidents (INC)', 'Operations (OPS)', 'Security (SEC)']);
  expect(await app.getByLabel('Issue type for action items').inputValue()).toBe('Task');
  await waitSaved(app);

  // A double click: the button goes busy at once, and the server's guard would catch a second run anyway.
  const createAll = app.getByRole('button', { name: 'Create all Jira issues (3)' });
  await createAll.dblclick();
  for (const n of [1, 2, 3]) {
    const issue = app.getByLabel(`Jira issue of action item ${n}`);
    await issue.getByText(/^OPS-\d+$/).waitFor();
    await issue.getByText('To Do').waitFor();
  }
  const first = app.getByLabel('Jira issue of action item 1');
  await first.getByText('Eden Editor').waitFor();
  await first.getByText(/priority$/).waitFor();
  expect(await app.getByRole('button', { name: /Create all Jira issues/ }).count()).toBe(0);
  expect(await app.getByRole('button', { name: /Create Jira issue for action item/ }).count()).toBe(0);
  const keys = await actionItemIssues();
  expect(keys).toHaveLength(3);
  const key1 = (await first.getByText(/^OPS-\d+$/).textContent())!;
  expect(keys).toContain(key1);
  await page.screenshot({ path: screenshotPath('action-items.png'), fullPage: true });

  // In Jira: the issue says where it came from.
  const jira = await env().pageAs(EDITOR_ID);
  await jira.goto(`/jira/browse/${key1}`);
  expect(await jira.locator('#issue-summary').textContent()).toBe('Alert on checkout error rate');
  const origin = jira.frameLocator('iframe.forge-frame').first();
  await origin.getByText('Action item from the postmortem').waitFor();
  await origin.getByText('No follow-up needed so far.').waitFor();
  expect(await jira.locator('#issue-links').textContent()).toContain('Postmortem');

  // Moving it in Jira shows on the postmortem after a reload: Jira is the source of truth.
  await jira.getByLabel('Transition').selectOption({ label: 'In Progress' });
  await jira.getByRole('button', { name: 'Move' }).click();
  await jira.waitForURL(new RegExp(`/jira/browse/${key1}$`));
  await page.reload();
  await macro(page).getByLabel('Jira issue of action item 1').getByText('In Progress').waitFor();
  await macro(page).getByLabel('Jira issue of action item 2').getByText('To Do').waitFor();

  // The viewer may read the page and see the OPS issues' state, but can create nothing.
  const viewer = await env().pageAs(VIEWER_ID);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const readOnly = macro(viewer);
  await readOnly.getByLabel('Jira issue of action item 1').getByText('In Progress').waitFor();
  expect(await readOnly.getByRole('button', { name: /Create/ }).count()).toBe(0);
  expect(await actionItemIssues()).toHaveLength(3);
});

it('an item Jira refuses says which and why; the others go through; a retry creates only the missing one', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const app = macro(page);
  await app.getByLabel('Summary', { exact: true }).waitFor();
  const before = await actionItemIssues();

  await addItem(app, 4, 'Page the payments on-call for checkout alerts', { kind: 'user', text: 'Nobody <557058:no-such-user>' });
  await addItem(app, 5, 'Dashboard for checkout errors', { kind: 'team', text: 'Payments' });
  await waitSaved(app);
  await app.getByRole('button', { name: 'Create all Jira issues (2)' }).click();
  await app.getByLabel('Jira issue of action item 5').getByText(/^OPS-\d+$/).waitFor();
  const refusal = app.getByRole('alert').filter({ hasText: 'Jira refused action item 4' });
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/assignee|user/i);
  expect(await actionItemIssues()).toHaveLength(before.length + 1);

  // Fix the owner and retry: only item 4 is created.
  await app.getByLabel('Owner of action item 4', { exact: true }).fill('Eden Editor <557058:eden-editor>');
  await waitSaved(app);
  await app.getByRole('button', { name: 'Create Jira issue for action item 4' }).click();
  await app.getByLabel('Jira issue of action item 4').getByText(/^OPS-\d+$/).waitFor();
  expect(await actionItemIssues()).toHaveLength(before.length + 2);
  expect(env().pageErrors).toEqual([]);
});

it('a run too large for one call goes to the background; the macro shows its progress until every item has its issue', async () => {
  const { site } = env();
  // The platform runs queued events on its own; so does the site's ticker (as under `npm start`).
  site.startTicker(100);
  const localId = 'e2e00000-0000-4000-8000-000000000025';
  site.placeMacro(CATALOGUE_PAGE_ID, 'pft-postmortem', localId, 'Postmortem');
  const call = (functionKey: string, payload?: unknown) => site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId, extension: { content: { id: CATALOGUE_PAGE_ID, type: 'page' } } });
  const loaded = (await call('loadPostmortem')) as Result<LoadedPostmortem>;
  if (!loaded.ok) throw new Error(loaded.error.message);
  const items: ActionItem[] = Array.from({ length: 25 }, (_, i) => ({ id: `bulk-${i}`, title: `Check dependency ${i + 1}`, description: '', owner: { kind: 'team', id: 'SRE', displayName: 'SRE' }, effort: 'low', impact: 'medium', dueDate: null, state: 'accepted' }));
  const saved = (await call('savePostmortem', { postmortem: { ...loaded.value.postmortem, actionItems: items }, base: loaded.value.postmortem, baseVersion: loaded.value.version })) as Result<SaveOutcome>;
  expect(saved.ok).toBe(true);

  const tab = await env().pageAs(EDITOR_ID);
  await tab.goto(`/wiki/pages/${CATALOGUE_PAGE_ID}`);
  const app = macro(tab);
  await app.getByRole('button', { name: 'Create all Jira issues (25)' }).click();
  await app.getByRole('button', { name: /^Creating issues… \d+ of 25$/ }).waitFor();
  for (const n of [1, 13, 25]) await app.getByLabel(`Jira issue of action item ${n}`, { exact: true }).getByText('To Do').waitFor({ timeout: 30_000 });
  expect(await app.getByRole('button', { name: /Creating issues|Create all/ }).count()).toBe(0);
  expect(await actionItemIssues(CATALOGUE_PAGE_ID)).toHaveLength(25);
  // After a reload the keys come from the stored postmortem and the state from Jira.
  await tab.reload();
  await macro(tab).getByLabel('Jira issue of action item 25').getByText('To Do').waitFor();
});
