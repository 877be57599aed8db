/**
 * The dashboard gadget in the browser (issue 16): the dashboard's owner adds *Postmortem follow-through* to a
 * Jira dashboard, configures it in its edit view (Jira opens it on adding), and the view shows the same numbers
 * as the report for the same scope; the configuration stays; a viewer who cannot browse SEC sees fewer.
 */
import type { ActionItem } from '../../src/contract/postmortem';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import type { LocalSite } from '../../local-site/site';
import type { FrameLocator, Page } from 'playwright-core';
import { screenshotPath, useBrowserSite } from './support/browser';
import { postmortemWithIssues as arrangeWithIssues } from './support/arrange';

const env = useBrowserSite();
jest.setTimeout(120_000);
const eden = { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' };
const DAY = 86_400_000;

const item = (id: string, title: string, over: Partial<ActionItem> = {}): ActionItem => ({ id, title, description: '', owner: eden, effort: 'low', impact: 'high', dueDate: '2099-03-01', state: 'accepted', ...over });

function postmortemWithIssues(s: LocalSite, localId: string, title: string, projectKey: string, items: ActionItem[]): Promise<Record<string, string>> {
  return arrangeWithIssues(s, localId, { title, incidentKey: 'INC-1', actionItemProjectKey: projectKey, actionItemIssueType: 'Task', actionItems: items });
}

let ops: Record<string, string>;

beforeAll(async () => {
  const s = env().site;
  ops = await postmortemWithIssues(s, 'cccccccc-0000-4000-8000-000000000001', 'Checkout latency', 'OPS', [
    item('fine', 'Rotate gateway certificates automatically'),
    item('unassigned', 'Alert on replication lag', { owner: null }),
    item('overdue', 'Load-test the checkout path'),
    item('stale', 'Clean up the stale dashboards'),
  ]);
  await postmortemWithIssues(s, 'cccccccc-0000-4000-8000-000000000002', 'Session tokens after password reset', 'SEC', [item('sec', 'Invalidate sessions on password reset', { owner: null })]);
  const issue = (key: string) => s.state.jira.issues.find((i) => i.key === key)!;
  const now = s.now().getTime();
  issue(ops.overdue).duedate = new Date(now - 5 * DAY).toISOString().slice(0, 10);
  Object.assign(issue(ops.stale), { created: new Date(now - 120 * DAY).toISOString(), updated: new Date(now - 40 * DAY).toISOString() });
}, 90_000);

const gadgetFrame = (page: Page): FrameLocator => page.frameLocator('section.gadget iframe.forge-frame').first();

/** The gadget's counts by reason, as its list shows them ("2 Unassigned" …). */
async function gadgetCounts(frame: FrameLocator): Promise<Record<string, number>> {
  const list = frame.getByRole('list', { name: 'Open action items by reason' });
  await list.waitFor();
  const items = await list.getByRole('listitem').allTextContents();
  return Object.fromEntries(items.map((t) => /^(\d+)\s+(\w+)$/.exec(t.trim())!).map((m) => [m[2], Number(m[1])]));
}

/** The report's count cards on the OPS project page ("2 Unassigned …" as each card's name). */
async function reportCounts(page: Page): Promise<Record<string, number>> {
  await page.goto('/jira/projects/OPS/apps/pft-follow-through-project');
  const cards = page.frameLocator('iframe.forge-frame').getByRole('region', { name: 'Open action items by reason' });
  const out: Record<string, number> = {};
  for (const label of ['Overdue', 'Unassigned', 'Unprioritized', 'Stale']) {
    const text = await cards.getByRole('button', { name: new RegExp(`^\\d+ ${label}\\b`) }).textContent();
    out[label] = Number(/^\s*(\d+)/.exec(text ?? '')![1]);
  }
  return out;
}

it('is added to a dashboard, configured, and shows the report’s numbers for the same projects', async () => {
  const page = await env().pageAs(ADMIN_ID);
  // From the Jira navigation to the dashboard Avery owns.
  await page.goto('/jira');
  await page.getByRole('link', { name: 'Dashboards' }).first().click();
  await page.getByRole('link', { name: 'Default dashboard' }).click();
  await page.getByText('No gadgets yet.').waitFor();
  await page.getByLabel('Add gadget').selectOption({ label: 'Postmortem follow-through' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();

  // Jira opens the new gadget's edit view.
  const edit = gadgetFrame(page);
  await edit.getByRole('group', { name: 'Projects' }).waitFor();
  await edit.getByLabel('Operations (OPS)').check();
  await edit.getByLabel('Oldest items to list (1–20)').fill('0');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.getByText('Show at least one row.').waitFor(); // refused by the resolver; nothing saved, nothing typed lost
  expect(env().site.state.jira.dashboards!.find((d) => d.id === '10000')!.gadgets[0].configuration).toBeUndefined();
  expect(await edit.getByLabel('Operations (OPS)').isChecked()).toBe(true);
  await edit.getByLabel('Oldest items to list (1–20)').fill('3');
  await edit.getByRole('button', { name: 'Save' }).click();

  // Back on the dashboard, the gadget's view.
  await page.getByRole('link', { name: 'Configure' }).waitFor();
  const viewFrame = gadgetFrame(page);
  await viewFrame.getByText(/^Operations · /).waitFor();
  const counts = await gadgetCounts(viewFrame);
  const rows = viewFrame.locator('tr[data-key]');
  expect(await rows.count()).toBe(3);
  expect(await rows.first().getAttribute('data-key')).toBe(ops.stale);
  await viewFrame.getByRole('heading', { name: 'Postmortems overdue' }).waitFor();
  await page.screenshot({ path: screenshotPath('dashboard-gadget.png'), fullPage: true });

  // The same numbers as the report on the OPS project page.
  expect(counts).toEqual(await reportCounts(page));
  expect(counts).toEqual({ Overdue: 1, Unassigned: 1, Unprioritized: 0, Stale: 1 });

  // The configuration stays with the gadget; Configure opens the edit view on it again.
  await page.goto('/jira/dashboards/10000');
  await page.getByRole('link', { name: 'Configure' }).click();
  const again = gadgetFrame(page);
  await again.getByRole('group', { name: 'Projects' }).waitFor();
  expect(await again.getByLabel('Operations (OPS)').isChecked()).toBe(true);
  expect(await again.getByLabel('Oldest items to list (1–20)').inputValue()).toBe('3');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await gadgetFrame(page).getByRole('list', { name: 'Open action items by reason' }).waitFor();
});

it('shows each viewer only what they may see, and only the owner may change it', async () => {
  const s = env().site;
  (s.state.jira.dashboards ??= []).push({ id: '10200', name: 'Ops and security', ownerAccountId: ADMIN_ID, gadgets: [{ id: '10200', moduleKey: 'pft-follow-through-gadget', configuration: { scope: { kind: 'projects', projectKeys: ['OPS', 'SEC'] }, reasons: ['unassigned'], rows: 5 } }] });
  const admin = await env().pageAs(ADMIN_ID);
  await admin.goto('/jira/dashboards/10200');
  expect(await gadgetCounts(gadgetFrame(admin))).toEqual({ Unassigned: 2 });
  await gadgetFrame(admin).locator('tr[data-key^="SEC-"]').waitFor();

  const vic = await env().pageAs(VIEWER_ID);
  await vic.goto('/jira/dashboards/10200');
  expect(await gadgetCounts(gadgetFrame(vic))).toEqual({ Unassigned: 1 });
  await gadgetFrame(vic).getByText(/^Operations · /).waitFor();
  expect(await gadgetFrame(vic).locator('tr[data-key^="SEC-"]').count()).toBe(0);
  expect(await vic.getByRole('link', { name: 'Configure' }).count()).toBe(0);
  expect(await vic.locator('#add-gadget').count()).toBe(0);
});
