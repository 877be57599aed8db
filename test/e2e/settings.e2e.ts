/** The settings admin page as a person uses it: a Custom UI iframe talking to its resolver through the bridge. */
import { ADMIN_ID, VIEWER_ID } from '../../local-site/state/users';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();

it('an administrator changes a setting, sees a refused value explained, and the change persists', async () => {
  const page = await env().pageAs(ADMIN_ID);
  await page.goto('/jira/settings/apps/pft-settings');
  const app = page.frameLocator('iframe.forge-frame');
  const stale = app.locator('#staleAfterDays');
  await stale.waitFor();
  expect(await stale.inputValue()).toBe('14');

  await stale.fill('0');
  await app.locator('#timeZone').fill('Mars/Olympus');
  await app.getByRole('button', { name: 'Save settings' }).click();
  await app.getByRole('alert').filter({ hasText: 'nothing was saved' }).waitFor();
  expect(await app.locator('#staleAfterDays-error').textContent()).toBe('Stale after must be at least 1.');
  expect(await app.locator('#timeZone-error').textContent()).toMatch(/Unknown time zone/);
  // What was typed is still there to fix.
  expect(await app.locator('#timeZone').inputValue()).toBe('Mars/Olympus');

  await stale.fill('10');
  await app.locator('#timeZone').fill('Europe/Berlin');
  await app.getByRole('button', { name: 'Save settings' }).click();
  await app.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

  await page.reload();
  await app.locator('#staleAfterDays').waitFor();
  expect(await app.locator('#staleAfterDays').inputValue()).toBe('10');
  expect(await app.locator('#timeZone').inputValue()).toBe('Europe/Berlin');
  await app.getByText(/Last change .*Changed staleAfterDays, timeZone/).waitFor();
});

it('the viewer sees the settings read-only', async () => {
  const page = await env().pageAs(VIEWER_ID);
  await page.goto('/jira/settings/apps/pft-settings');
  const app = page.frameLocator('iframe.forge-frame');
  await app.getByText('Only Jira administrators can change these settings.').waitFor();
  expect(await app.locator('#staleAfterDays').isDisabled()).toBe(true);
  expect(await app.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
});
