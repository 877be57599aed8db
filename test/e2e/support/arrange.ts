/**
 * Arranging browser tests through the app's own resolvers (not the browser), so each test's browser steps
 * are about what it proves: a postmortem saved on the on-call page with its Jira issues created.
 */
import type { Page } from 'playwright-core';
import { value } from '../../support/ui-driver';

export { value };
export { postmortemWithIssues } from '../../support/arrange';

/** In the browser: edit the page, insert the postmortem macro, publish, and wait for the page view. */
export async function insertMacroInBrowser(page: Page, pageId: string): Promise<void> {
  await page.goto(`/wiki/pages/${pageId}/edit`);
  await page.locator('[data-testid=insert-pft-postmortem]').click();
  await page.locator('#publish').click();
  await page.waitForURL(new RegExp(`/wiki/pages/${pageId}$`));
}
