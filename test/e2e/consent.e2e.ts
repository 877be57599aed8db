/**
 * Consent as on Atlassian Cloud: Nia has never allowed the app to act for her. Her first visit to a page
 * with the postmortem macro shows the host's "Allow access" prompt in place of the app; once she allows it,
 * the macro loads and saves her text. Revoking access (the user switcher) brings the prompt back.
 */
import { NEWCOMER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();
jest.setTimeout(60_000);

it('first visit → "Allow access" → the macro works; revoked → asked again', async () => {
  const { site } = env();
  site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', 'c0115e17-0000-4000-8000-00000000e2e1', 'Postmortem');
  expect(site.hasConsent(NEWCOMER_ID)).toBe(false);
  const page = await env().pageAs(NEWCOMER_ID);
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);

  const prompt = page.getByRole('region', { name: 'Allow access' });
  await prompt.waitFor();
  expect(await prompt.textContent()).toMatch(/Postmortem Follow-Through needs your permission/);
  expect(await page.locator('iframe.forge-frame').isVisible()).toBe(false);

  await prompt.getByRole('button', { name: 'Allow access' }).click();
  await page.waitForLoadState('load');
  const app = page.frameLocator('iframe.forge-frame');
  const summary = app.getByLabel('Summary', { exact: true });
  await summary.waitFor();
  expect(site.hasConsent(NEWCOMER_ID)).toBe(true);
  await summary.fill('Checkout failed for 20 minutes.');
  await app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();
  expect(await page.getByRole('region', { name: 'Allow access' }).count()).toBe(0);

  await page.getByRole('button', { name: 'Revoke app access' }).click();
  await page.getByRole('region', { name: 'Allow access' }).waitFor();
  expect(site.hasConsent(NEWCOMER_ID)).toBe(false);
});
