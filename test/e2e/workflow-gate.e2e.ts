/**
 * issue 16: the workflow gate in the browser. Avery (a Jira admin) adds "Postmortem published" to → Done of
 * the INC workflow; Eden cannot close the SEV1 incident INC-1 until its postmortem is published (Jira shows the
 * app's message, with the link); after Publish it closes. Avery waives the gate for INC-3 with a reason, which
 * lets it close and shows on the incident.
 */
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { findPostmortemMacro } from '../../src/adf/postmortem-page';
import { macroCall, reviewedPostmortem } from '../integration/support/publishing';
import { useBrowserSite } from './support/browser';
import { insertMacroInBrowser } from './support/arrange';
import type { Page } from 'playwright-core';

const env = useBrowserSite();
jest.setTimeout(120_000);

async function move(page: Page, key: string, to: string): Promise<void> {
  await page.goto(`/jira/browse/${key}`);
  await page.getByLabel('Transition').selectOption({ label: to });
  await page.getByRole('button', { name: 'Move' }).click();
  await page.waitForURL(new RegExp(`/jira/browse/${key}`));
}

it('an admin gates → Done; a SEV1 closes only once its postmortem is published, or with an admin waiver', async () => {
  const site = () => env().site;

  // Only an admin sees and changes the workflows.
  const eden = await env().pageAs(EDITOR_ID);
  await eden.goto('/jira/settings/workflows');
  await eden.locator('#workflows-forbidden').waitFor();

  const avery = await env().pageAs(ADMIN_ID);
  await avery.goto('/jira/settings/workflows?project=INC');
  await avery.getByRole('heading', { name: 'INC workflow' }).waitFor();
  await avery.getByLabel('Validator for → Done').selectOption({ label: 'Postmortem published' });
  await avery.getByRole('button', { name: 'Add validator to → Done' }).click();
  await avery.locator('tr[data-transition="Done"] .workflow-rule').getByText('Postmortem published').waitFor();
  expect(site().state.jira.workflowRules).toEqual([expect.objectContaining({ projectKey: 'INC', validatorKey: 'pft-postmortem-gate', addedBy: ADMIN_ID })]);

  // INC-1 (Highest = SEV1), reopened, cannot be closed: it has no postmortem yet.
  await move(eden, 'INC-1', 'In Progress');
  await move(eden, 'INC-1', 'Done');
  const refusal = eden.locator('#issue-error');
  await refusal.getByText(/INC-1 is a SEV1 incident/).waitFor();
  expect(await refusal.textContent()).toContain('Create postmortem');
  expect(await refusal.getByRole('link').getAttribute('href')).toBe(`${site().baseUrl}/browse/INC-1`);
  await eden.locator('#transition-form').getByText('In Progress').waitFor();

  // The postmortem, reviewed: the refusal now links it.
  await insertMacroInBrowser(eden, ONCALL_PAGE_ID);
  const localId = findPostmortemMacro(site().state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!.body)!;
  await reviewedPostmortem(macroCall(site, localId));
  await move(eden, 'INC-1', 'Done');
  await refusal.getByText(/“Checkout latency” is not published yet/).waitFor();
  const pageLink = refusal.getByRole('link');
  expect(await pageLink.getAttribute('href')).toBe(`${site().baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`);

  // Follow the link and publish.
  await pageLink.click();
  await eden.waitForURL(new RegExp(`/wiki/pages/${ONCALL_PAGE_ID}$`));
  const macro = eden.frameLocator('iframe.forge-frame');
  await macro.getByRole('button', { name: 'Publish', exact: true }).click();
  await macro.getByTestId('status-lozenge').filter({ hasText: 'Published' }).waitFor();

  // Now it closes.
  await move(eden, 'INC-1', 'Done');
  expect(await eden.locator('#issue-error').count()).toBe(0);
  await eden.locator('#transition-form').getByText('Done').first().waitFor();
  expect(site().state.jira.issues.find((i) => i.key === 'INC-1')!.statusId).toBe('10003');

  // INC-3 (SEV1, no postmortem): Avery waives the gate on the incident, with a reason.
  await move(eden, 'INC-3', 'In Progress');
  await move(eden, 'INC-3', 'Done');
  await refusal.getByText(/INC-3 is a SEV1 incident/).waitFor();

  await avery.goto('/jira/browse/INC-3?action=pft-create-postmortem');
  const action = avery.frameLocator('iframe[data-module-key="pft-create-postmortem"]');
  await action.locator('#gate-state').getByText(/refused until the postmortem is published/).waitFor();
  await action.getByLabel(/Waive the gate for INC-3/).fill('Duplicate of INC-1; reviewed in its postmortem.');
  await action.getByRole('button', { name: 'Waive the postmortem gate' }).click();
  await action.locator('#gate-waiver').getByText(/Waived by Avery Admin .*Duplicate of INC-1; reviewed in its postmortem\./).waitFor();

  await move(eden, 'INC-3', 'Done');
  expect(await eden.locator('#issue-error').count()).toBe(0);
  expect(site().state.jira.issues.find((i) => i.key === 'INC-3')!.statusId).toBe('10003');

  // The waiver shows on the incident for everyone who opens it; Eden (not an admin) gets no waiver form.
  await eden.goto('/jira/browse/INC-3?action=pft-create-postmortem');
  const edenAction = eden.frameLocator('iframe[data-module-key="pft-create-postmortem"]');
  await edenAction.locator('#gate-waiver').getByText(/Waived by Avery Admin/).waitFor();
  expect(await edenAction.getByRole('button', { name: 'Waive the postmortem gate' }).count()).toBe(0);
});
