/** The local site's own screens: switching user, Jira issue transitions, Confluence page editing. */
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();

it('moves a Jira issue through its workflow from the issue view', async () => {
  const { site } = env();
  const issue = site.state.jira.issues.find((i) => i.key.startsWith('OPS-') && !i.resolutionId)!;
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/jira/browse/${issue.key}`);
  await page.locator('select[name=transitionId]').selectOption({ label: 'Done' });
  await page.getByRole('button', { name: 'Move' }).click();
  await page.locator('.status-lozenge.done').waitFor();
  expect(site.state.jira.issues.find((i) => i.id === issue.id)!.resolutionId).not.toBeNull();
});

it('edits a Confluence page, and the viewer may read it but not publish', async () => {
  const editor = await env().pageAs(EDITOR_ID);
  await editor.goto(`/wiki/pages/${ONCALL_PAGE_ID}/edit`);
  await editor.getByRole('button', { name: 'Add text' }).click();
  const blocks = editor.locator('#editor textarea');
  await blocks.last().fill('Escalate to the database on-call after 15 minutes.');
  await editor.getByRole('button', { name: 'Publish' }).click();
  await editor.waitForURL(`**/wiki/pages/${ONCALL_PAGE_ID}`);
  await editor.getByText('Escalate to the database on-call after 15 minutes.').waitFor();

  const viewer = await env().pageAs(VIEWER_ID);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  await viewer.getByText('Escalate to the database on-call after 15 minutes.').waitFor();
  // As in Confluence, no Edit and no editor for someone who may not edit; Confluence refuses the write anyway.
  expect(await viewer.locator('#edit-page').count()).toBe(0);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}/edit`);
  await viewer.getByRole('alert').filter({ hasText: "You don't have permission to edit this page." }).waitFor();
  expect(await viewer.getByRole('button', { name: 'Publish' }).count()).toBe(0);
  const page = env().site.state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!;
  const write = await env().site.handleProduct('confluence', {
    method: 'PUT',
    path: `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`,
    query: new URLSearchParams(),
    headers: {},
    actor: { kind: 'user', accountId: VIEWER_ID },
    body: { id: ONCALL_PAGE_ID, status: 'current', title: page.title, body: { representation: 'atlas_doc_format', value: JSON.stringify(page.body) }, version: { number: page.version.number + 1 } },
  });
  expect(write.status).toBe(404); // no write permission on the space: Confluence's 404 (local-site/confluence/pages.ts)
});

it('loads the demo postmortems through the app, once, and the index, the pages and Jira show them', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.waitForURL(/\/wiki\/apps\/pft-postmortem-index$/);
  const index = page.frameLocator('iframe.forge-frame').first();
  await index.getByText('Checkout latency').waitFor();
  expect(await index.locator('tr[data-key]').count()).toBe(6);
  // The macros are on their pages, and the published postmortem announced itself on its incident.
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  expect(await page.locator('iframe.forge-frame').count()).toBe(2);
  await page.goto('/jira/browse/INC-1');
  await page.locator('#comments').getByText('Checkout latency').first().waitFor();
  // Loading again changes nothing.
  await page.goto('/');
  expect(await page.getByTestId('load-demo').count()).toBe(0);
  const before = env().site.state.jira.issues.length;
  await page.request.post('/__site/demo');
  expect(env().site.state.jira.issues.length).toBe(before);
});
