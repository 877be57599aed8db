/**
 * The postmortem macro as people use it: the editor inserts it on a page, fills it in (pasting the incident
 * chat into the timeline), is warned about blaming language, and finds everything again after a reload;
 * a viewer sees the same document read-only.
 */
import type { FrameLocator, Page } from 'playwright-core';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ENG_HOME_ID, ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { screenshotPath, useBrowserSite } from './support/browser';
import { insertMacroInBrowser } from './support/arrange';
import { seriousViolations } from './support/axe';

const env = useBrowserSite();
jest.setTimeout(60_000);

const CHAT = [
  '09:50 carol: checkout errors started after release 42',
  '10:02 alice: PagerDuty alert firing for checkout latency',
  '10:05 bob: acked, investigating',
  '10:31 bob: rolled back release 42, errors recovered',
].join('\n');

const macro = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame');

const insertMacro = insertMacroInBrowser;

async function waitSaved(app: FrameLocator) {
  await app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();
}

it('the editor inserts the macro, fills it in, sees the blameless check, and it is all there after a reload; the viewer reads it', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await insertMacro(page, ONCALL_PAGE_ID);

  const app = macro(page);
  const summary = app.getByLabel('Summary', { exact: true });
  await summary.waitFor();
  await waitSaved(app);

  await summary.fill('Checkout returned errors for about 40 minutes after release 42.');
  await app.getByLabel('Impact', { exact: true }).fill('About 12% of checkout attempts failed between 09:50 and 10:31.');

  // The incident chat becomes timeline rows, and the durations follow.
  await app.getByLabel('Paste chat log', { exact: true }).fill(CHAT);
  // Before anything is added, the preview shows how each line will be read.
  const preview = app.getByRole('table', { name: 'How the pasted lines will be read' });
  await preview.waitFor();
  expect(await preview.locator('tbody tr').count()).toBe(4);
  expect(await preview.locator('tbody tr').nth(1).locator('td').allTextContents()).toEqual(['2', 'Message', expect.stringMatching(/^\d{4}-\d{2}-\d{2} 10:02$/), 'alice', '10:02 alice: PagerDuty alert firing for checkout latency']);
  await app.getByRole('button', { name: 'Add chat lines to timeline' }).click();
  await preview.waitFor({ state: 'detached' });
  await app.getByText('4 lines read, 0 kept as notes').waitFor();
  expect(await app.getByLabel('Text of entry 2').inputValue()).toBe('PagerDuty alert firing for checkout latency');
  expect(await app.getByLabel('Kind of entry 1').inputValue()).toBe('initial-failure');
  expect(await app.getByLabel('Author of entry 4').inputValue()).toBe('bob');
  expect(await app.getByLabel('Time to detect').textContent()).toBe('12 min');
  expect(await app.getByLabel('Time to resolve').textContent()).toBe('41 min');

  // Blaming language is flagged with a rewording.
  await app.getByLabel('Root cause', { exact: true }).fill('Bob should have checked the dashboard');
  const finding = app.getByRole('note', { name: 'Blameless check for Root cause' });
  await finding.waitFor();
  expect(await finding.textContent()).toMatch(/“Bob should have”.*hindsight/);

  await waitSaved(app);
  await page.reload();
  await app.getByLabel('Summary', { exact: true }).waitFor();
  expect(await app.getByLabel('Summary', { exact: true }).inputValue()).toBe('Checkout returned errors for about 40 minutes after release 42.');
  expect(await app.getByLabel('Impact', { exact: true }).inputValue()).toMatch(/^About 12%/);
  expect(await app.getByLabel('Root cause', { exact: true }).inputValue()).toBe('Bob should have checked the dashboard');
  expect(await app.getByLabel('Text of entry 4').inputValue()).toBe('rolled back release 42, errors recovered');
  expect(await app.getByLabel('Time to detect').textContent()).toBe('12 min');
  await app.getByRole('note', { name: 'Blameless check for Root cause' }).waitFor();
  await page.screenshot({ path: screenshotPath('postmortem-macro.png'), fullPage: true });

  const viewer = await env().pageAs(VIEWER_ID);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const readOnly = macro(viewer);
  await readOnly.getByText('You can view this postmortem. Only people who can edit the page can change it.').waitFor();
  expect(await readOnly.getByLabel('Summary', { exact: true }).inputValue()).toBe('Checkout returned errors for about 40 minutes after release 42.');
  expect(await readOnly.getByLabel('Summary', { exact: true }).isDisabled()).toBe(true);
  expect(await readOnly.getByLabel('Text of entry 1').isDisabled()).toBe(true);
  expect(await readOnly.getByRole('button', { name: 'Add timeline entry' }).count()).toBe(0);
  expect(await readOnly.getByTestId('save-status').count()).toBe(0);
  await viewer.screenshot({ path: screenshotPath('postmortem-macro-viewer.png'), fullPage: true });
});

it('what failed becomes action items, which are triaged: accepted, or dropped with a reason', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await insertMacro(page, CATALOGUE_PAGE_ID);
  const app = macro(page);
  await app.getByLabel('Detection and monitoring notes').fill('The latency alert fired 12 minutes after errors began.');
  await app.getByRole('button', { name: 'Make this an action item: detection and monitoring' }).click();
  expect(await app.getByLabel('Title of action item 1').inputValue()).toBe('The latency alert fired 12 minutes after errors began.');
  await app.getByLabel('Title of action item 1').fill('Alert on checkout error rate');
  await app.getByLabel('Effort of action item 1').selectOption('low');
  await app.getByLabel('Impact of action item 1').selectOption('high');
  await app.getByLabel('Owner of action item 1', { exact: true }).fill('Payments');

  await app.getByLabel('New action item').fill('Rewrite checkout in another language');
  await app.getByRole('button', { name: 'Add action item' }).click();
  await app.getByLabel('Effort of action item 2').selectOption('high');
  await app.getByLabel('Impact of action item 2').selectOption('low');

  await app.getByRole('button', { name: 'Triage view' }).click();
  await app.getByLabel('High impact, low effort: Quick win').getByText('Alert on checkout error rate').waitFor();
  await app.getByLabel('Low impact, high effort: Thankless task').getByText('Rewrite checkout in another language').waitFor();

  await app.locator('#pm-item-1-triage-state').selectOption('accepted');
  await app.locator('#pm-item-2-triage-state').selectOption('dropped');
  const drop = app.getByRole('button', { name: 'Drop item' });
  expect(await drop.isDisabled()).toBe(true);
  await app.getByText('Say why the item is dropped, so the decision is visible later.').waitFor();
  await app.getByLabel('Why drop action item 2?').fill('Far too much effort for a rare failure');
  await drop.click();
  await page.screenshot({ path: screenshotPath('postmortem-triage.png'), fullPage: true });
  await app.getByRole('button', { name: 'Triage view' }).click();
  expect(await app.getByLabel('Reason for dropping action item 2').inputValue()).toBe('Far too much effort for a rare failure');
  await app.getByRole('button', { name: 'Create Jira issue for action item 1' }).waitFor();

  await waitSaved(app);
  await page.reload();
  await app.getByLabel('Title of action item 1').waitFor();
  expect(await app.getByLabel('State of action item 1').inputValue()).toBe('accepted');
  expect(await app.getByLabel('State of action item 2').inputValue()).toBe('dropped');
  expect(await app.getByLabel('Owner of action item 1', { exact: true }).inputValue()).toBe('Payments');
});

it('two editors change the same field: the second sees both versions, keeps theirs or mine, and nothing is lost', async () => {
  const first = await env().pageAs(EDITOR_ID);
  await insertMacro(first, ENG_HOME_ID);
  const second = await env().pageAs(EDITOR_ID);
  await second.goto(`/wiki/pages/${ENG_HOME_ID}`);
  const a = macro(first);
  const b = macro(second);
  await b.getByLabel('Summary', { exact: true }).waitFor();

  await a.getByLabel('Summary', { exact: true }).fill('Summary from the first editor.');
  await a.getByLabel('Impact', { exact: true }).fill('Impact from the first editor.');
  await waitSaved(a);

  await b.getByLabel('Summary', { exact: true }).fill('Summary from the second editor.');
  await b.getByLabel('Root cause', { exact: true }).fill('Root cause from the second editor.');
  await b.getByTestId('save-status').filter({ hasText: 'Conflict' }).waitFor();
  const panel = b.getByRole('alert').filter({ hasText: 'Someone else changed the same fields' });
  await panel.getByText('Summary from the first editor.').waitFor();
  await panel.getByText('Summary from the second editor.').waitFor();
  expect(await b.getByLabel('Summary', { exact: true }).isDisabled()).toBe(true);
  await second.screenshot({ path: screenshotPath('postmortem-conflict.png'), fullPage: true });
  expect(await seriousViolations(second, 'conflict view')).toEqual([]);
  await panel.getByRole('button', { name: 'Keep mine: Summary' }).click();
  await panel.getByRole('button', { name: 'Save merged' }).click();
  await waitSaved(b);
  // The panel is gone; the focus is on the save status (which announced the save), not lost.
  await b.locator('#pm-save-status:focus').waitFor();
  expect(await b.getByLabel('Summary', { exact: true }).inputValue()).toBe('Summary from the second editor.');
  expect(await b.getByLabel('Impact', { exact: true }).inputValue()).toBe('Impact from the first editor.');

  await first.reload();
  await a.getByLabel('Summary', { exact: true }).waitFor();
  expect(await a.getByLabel('Summary', { exact: true }).inputValue()).toBe('Summary from the second editor.');
  expect(await a.getByLabel('Impact', { exact: true }).inputValue()).toBe('Impact from the first editor.');
  expect(await a.getByLabel('Root cause', { exact: true }).inputValue()).toBe('Root cause from the second editor.');
});
