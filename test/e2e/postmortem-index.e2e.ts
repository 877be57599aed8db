/**
 * The postmortem index in the browser: the Confluence global page (Index, Insights, Search tabs), the macro on
 * a page, and what a viewer may not see. Saves the README screenshots (docs/screenshots/index.png, insights.png).
 */
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ENG_HOME_ID } from '../../local-site/confluence/seed';
import { K, seedPostmortems } from '../../local-site/demo/postmortems';
import { screenshotPath, useBrowserSite } from './support/browser';

const env = useBrowserSite();
const DAY = 86_400_000;

beforeAll(async () => {
  const s = env().site;
  // Move the site clock to the next Monday 09:00 UTC, so the seeded dates (relative to it) give the same figures
  // as the integration test whatever day the tests run on.
  const now = s.now();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9));
  while (monday.getUTCDay() !== 1 || monday.getTime() <= now.getTime()) monday.setTime(monday.getTime() + DAY);
  await s.advanceClock(monday.getTime() - now.getTime());
  await seedPostmortems(s, monday);
  // The index macro on the Engineering home page, as a person would insert it.
  s.placeMacro(ENG_HOME_ID, 'app/env/static/pft-postmortem-index-macro', 'index-macro-1', 'Postmortem index');
}, 120_000);

it('lists every postmortem with its progress, lets drafts past due stand out, and filters', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/wiki/apps/pft-postmortem-index');
  const app = page.frameLocator('iframe.forge-frame');
  const table = app.locator('table.grid');
  await table.locator(`tr[data-key="${K.p1}"]`).waitFor();
  expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual([K.p5, K.p3, K.p4, K.p2, K.p1, K.p6]);
  const p1 = await table.locator(`tr[data-key="${K.p1}"] td`).allInnerTexts();
  expect(p1[0]).toContain('Checkout latency');
  expect(p1[0]).toContain('checkout-api');
  expect(p1.slice(1, 4)).toEqual([expect.stringMatching(/^PUBLISHED\n/), 'SEV1', expect.stringContaining('INC-1')]);
  expect(p1[4]).toBe('20 min\n2 h');
  expect(p1[5]).toBe('Eden Editor');
  expect(p1[7]).toBe('3 created · 1 done · 1 overdue · 1 dropped');
  // The draft whose postmortem is past due stands out; the recent draft does not.
  await expectClass(table.locator(`tr[data-key="${K.p4}"]`), 'attention');
  expect(await table.locator(`tr[data-key="${K.p4}"] .overdue-note`).innerText()).toBe('Still a draft after 10 business days');
  expect(await table.locator(`tr[data-key="${K.p5}"] .overdue-note`).count()).toBe(0);
  await app.getByText('1 draft past due (5 business days after the incident)').waitFor();
  await page.locator('iframe.forge-frame').screenshot({ path: screenshotPath('index.png') });

  await app.getByLabel('Status').selectOption('draft');
  await app.getByText('Matching postmortems: showing 2').waitFor();
  await app.getByLabel('Service or category tag').fill('Checkout-API');
  await app.getByRole('button', { name: 'Apply' }).click();
  await app.getByText('Matching postmortems: showing 2').waitFor();
  await app.getByLabel('Status').selectOption('');
  await app.getByText('Matching postmortems: showing 4').waitFor();
  expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual([K.p5, K.p3, K.p4, K.p1]);
  await app.getByLabel('Space').selectOption('SECOPS');
  await app.getByText('Matching postmortems: showing 1').waitFor();
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await app.getByText('Postmortems: showing 6').waitFor();
});

it('draws the insights with the numbers behind them', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/wiki/apps/pft-postmortem-index');
  const app = page.frameLocator('iframe.forge-frame');
  await app.getByRole('tab', { name: 'Insights' }).click();
  await app.getByText(/^6 postmortems you can see/).waitFor();
  const stat = async (label: string) => (await app.locator(`[data-stat="${label}"] .stat-value`).innerText()).trim();
  expect(await stat('Median time to detect')).toBe('38 min');
  expect(await stat('Median time to resolve')).toBe('2 h 30 min');
  expect(await stat('Action items done')).toBe('44%');
  expect(await stat('Open items overdue')).toBe('40%');
  expect(await stat('Reviews on time')).toBe('60%');
  expect(await stat('Time to close')).toBe('3.8 d');
  expect(await app.locator('#items-chart-desc').textContent()).toBe('Done: 4, Open, on time: 3, Overdue: 2, Dropped: 1');
  expect(await app.locator('#reviews-chart-desc').textContent()).toBe('On time: 3, Late or missing: 2, Not due yet: 1');
  expect(await app.locator('#ttd-severity-desc').textContent()).toBe(
    'SEV1: median 13 min, p90 20 min over 2; SEV2: median 38 min, p90 45 min over 2; SEV3: median 3 h 30 min, p90 6 h over 2; SEV4: no incidents',
  );
  expect(await app.locator('svg[aria-labelledby^="incidents-chart"] g.incident').count()).toBe(6);
  expect(await app.locator('[data-tag="checkout-api"] .repeat-items li').count()).toBe(4);
  expect(await app.locator('#incidents-table tbody tr').count()).toBe(6);
  await page.locator('iframe.forge-frame').screenshot({ path: screenshotPath('insights.png') });

  // Search: what failed and action items together.
  await app.getByRole('tab', { name: 'Search' }).click();
  await app.getByLabel('Find in “What failed” and action items').fill('monitoring');
  await app.getByRole('button', { name: 'Search' }).click();
  await app.getByText('“monitoring” in 3 postmortems · Action items ×2, Detection / monitoring ×2').waitFor();
  expect(await app.locator(`li.hit[data-key="${K.p1}"] mark`).allInnerTexts()).toEqual(['monitoring', 'monitoring']);
});

it('shows a viewer only what they may see, on the app page and in the macro', async () => {
  const page = await env().pageAs(VIEWER_ID);
  await page.goto('/wiki/apps/pft-postmortem-index');
  const app = page.frameLocator('iframe.forge-frame');
  await app.getByText('Postmortems: showing 5').waitFor();
  expect(await app.getByText('Token leak').count()).toBe(0);
  expect(await app.locator(`tr[data-key="${K.p6}"] td.items-cell`).innerText()).toBe('2 created · 0 done\n2 issues you cannot see');
  await app.getByRole('tab', { name: 'Insights' }).click();
  await app.getByText(/^5 postmortems you can see/).waitFor();
  expect(await app.getByText('Token leak').count()).toBe(0);

  // The macro: the index alone, no tabs.
  await page.goto(`/wiki/pages/${ENG_HOME_ID}`);
  const macro = page.frameLocator('iframe.forge-frame[data-module-key="pft-postmortem-index-macro"]');
  await macro.getByText('Postmortems: showing 5').waitFor();
  expect(await macro.getByRole('tab').count()).toBe(0);
  expect(await macro.getByRole('heading', { name: 'Postmortem index' }).count()).toBe(1);
});

async function expectClass(locator: import('playwright-core').Locator, cls: string) {
  expect((await locator.getAttribute('class'))?.split(' ')).toContain(cls);
}
