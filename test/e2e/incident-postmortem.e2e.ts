/** Starting a postmortem from a Jira incident in the browser: the issue action, then the new Confluence page. */
import { EDITOR_ID } from '../../local-site/state/users';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();

it('creates the postmortem page from the incident and opens it; a second visit finds it', async () => {
  const { site } = env();
  const incident = site.state.jira.issues.find((i) => i.key === 'INC-2')!;
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/jira/browse/INC-2?action=pft-create-postmortem');
  const app = page.frameLocator('iframe.forge-frame').first();
  await app.getByText(`INC-2: ${incident.summary}`).waitFor();
  await app.getByRole('button', { name: 'Create postmortem page in ENG' }).click();
  const link = app.getByRole('link', { name: `Postmortem: ${incident.summary}` });
  await link.waitFor();
  await link.click();
  await page.waitForURL(/\/wiki\/spaces\/ENG\/pages\/\d+/);
  await page.getByRole('heading', { name: `Postmortem: ${incident.summary}` }).waitFor();

  // The incident now links to its postmortem, and the action offers to open it instead of creating another.
  await page.goto('/jira/browse/INC-2?action=pft-create-postmortem');
  await page.locator('#issue-links').getByRole('link', { name: `Postmortem: ${incident.summary}` }).waitFor();
  await page.frameLocator('iframe.forge-frame').first().getByText('This incident has a postmortem').waitFor();
  expect(site.state.confluence.pages.filter((p) => p.title.startsWith('Postmortem:'))).toHaveLength(1);
});

it('starts a postmortem from the app page in Confluence by incident key', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/wiki/apps/pft-postmortems');
  const app = page.frameLocator('iframe.forge-frame');
  await app.getByLabel('Incident issue key').fill('inc-3');
  await app.getByRole('button', { name: 'Find incident' }).click();
  await app.getByRole('button', { name: /Create postmortem page/ }).click();
  await app.getByText('This incident has a postmortem').waitFor();
});
