/**
 * Publishing as the incident owner does it: in the macro of a reviewed postmortem, Publish → the Published
 * badge and what was done; the labels on the page, the comment on the incident in Jira, the email in the
 * site's inbox (delivered over SMTP to the site's catcher). Takes docs/screenshots/publish.png.
 */
import type { Page } from 'playwright-core';
import { EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { findPostmortemMacro } from '../../src/adf/postmortem-page';
import { emailToCatcher, macroCall, reviewedPostmortem } from '../integration/support/publishing';
import { screenshotPath, useBrowserSite } from './support/browser';
import { insertMacroInBrowser } from './support/arrange';

const env = useBrowserSite();
jest.setTimeout(90_000);

async function insertMacro(page: Page, pageId: string): Promise<string> {
  await insertMacroInBrowser(page, pageId);
  const body = env().site.state.confluence.pages.find((p) => p.id === pageId)!.body;
  return findPostmortemMacro(body)!;
}

it('the incident owner publishes a reviewed postmortem; labels, incident comment, Jira\'s notification and the experimental email follow', async () => {
  const site = () => env().site;
  await emailToCatcher(site, ['engineering@example.com']);
  const page = await env().pageAs(EDITOR_ID);
  const localId = await insertMacro(page, ONCALL_PAGE_ID);
  // The review meeting happened: the postmortem is filled in and Reviewed (saved as Eden, the owner).
  await reviewedPostmortem(macroCall(site, localId), {
    actionItems: [{ id: 'a1', title: 'Alert on connection pool saturation', description: '', owner: { kind: 'team', id: 'Payments', displayName: 'Payments' }, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' }],
  });
  await page.reload();

  const app = page.frameLocator('iframe.forge-frame');
  await app.getByTestId('status-lozenge').filter({ hasText: 'Reviewed' }).waitFor();
  // The status buttons stop at Reviewed: publishing is the Publish button's job.
  expect(await app.getByRole('button', { name: 'Move to Published' }).count()).toBe(0);
  await app.getByText('lists it in the weekly digest').waitFor();
  await app.getByRole('button', { name: 'Publish', exact: true }).click();

  await app.getByTestId('status-lozenge').filter({ hasText: 'Published' }).waitFor();
  const steps = app.getByRole('list', { name: 'What publishing did' });
  await steps.getByText('Commented on INC-1').waitFor();
  await steps.getByText('Labelled postmortem, sev2').waitFor();
  await steps.getByText('Jira notified the reporter, the watchers on INC-1').waitFor();
  await steps.getByText('Emailed engineering@example.com (experimental SMTP)').waitFor();
  expect(await app.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
  await app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();

  // The page carries the labels.
  await page.reload();
  const labels = page.locator('#page-labels');
  await labels.getByText('postmortem', { exact: true }).waitFor();
  await labels.getByText('sev2', { exact: true }).waitFor();
  await app.getByTestId('status-lozenge').filter({ hasText: 'Published' }).waitFor();
  await app.getByRole('list', { name: 'What publishing did' }).getByText('Emailed engineering@example.com').waitFor();
  await page.screenshot({ path: screenshotPath('publish.png'), fullPage: false });

  // The incident has the comment, by Eden, with the link back.
  await page.goto('/jira/browse/INC-1');
  const comment = page.locator('#comments .comment').filter({ hasText: 'Postmortem published:' });
  await comment.waitFor();
  expect(await comment.count()).toBe(1);
  expect(await comment.textContent()).toContain('Eden Editor');
  expect(await comment.locator('a', { hasText: 'Checkout latency' }).getAttribute('href')).toContain(`/wiki/pages/${ONCALL_PAGE_ID}`);

  // Jira emailed the incident's reporter and watcher (not Eden, who published); the engineering list got the
  // experimental SMTP email; both carry the summary with its action items.
  await page.goto('/');
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await page.waitForURL(/\/__site\/inbox$/);
  expect(await page.locator('article.email').count()).toBe(2);
  await page.locator('article.email').filter({ hasText: 'to avery@example.com, vic@example.com' }).waitFor();
  const email = page.locator('article.email').filter({ hasText: 'to engineering@example.com' });
  expect(await email.count()).toBe(1);
  expect(await email.locator('.email-subject').textContent()).toBe('[Postmortem SEV2] Checkout latency');
  await email.getByText('to engineering@example.com').waitFor();
  const html = email.frameLocator('iframe.email-html');
  await html.getByText('Alert on connection pool saturation — Payments (team)').waitFor();
});
