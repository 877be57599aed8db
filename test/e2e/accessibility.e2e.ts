/**
 * Accessibility: axe-core over every surface the app renders, with the demo postmortems loaded so each shows real
 * content (tables, charts, triage, issue panel). Any serious or critical violation fails the test. Every surface is
 * taken in the host's light and dark themes (the signed-in user's appearance setting): in each, axe (contrast
 * included) and the theme check (support/theme.ts: the surface is dark in the dark theme, light in the light one).
 */
import type { FrameLocator, Page } from 'playwright-core';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { DEMO_DASHBOARD_ID, mondayAnchor, seedPostmortems } from '../../local-site/demo/postmortems';
import { screenshotPath, useBrowserSite } from './support/browser';
import { seriousViolations } from './support/axe';
import { themeProblems, themeProblemsOnceApplied, type ColorMode } from './support/theme';

const env = useBrowserSite();
jest.setTimeout(90_000);
let p1: Record<string, string>;

beforeAll(async () => {
  const s = env().site;
  ({ p1 } = await seedPostmortems(s, mondayAnchor(s.now())));
}, 120_000);

const app = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame').first();

const COLOR_MODES: ColorMode[] = ['light', 'dark'];

describe.each(COLOR_MODES)('in the %s theme', (mode) => {
/** A page as this user, whose appearance setting is this describe's theme. */
async function pageAs(accountId: string): Promise<Page> {
  env().site.setColorMode(accountId, mode);
  return env().pageAs(accountId);
}

async function check(page: Page, label: string) {
  expect(await themeProblemsOnceApplied(page, label, mode)).toEqual([]);
  expect(await seriousViolations(page, `${label} (${mode})`)).toEqual([]);
}

it('the postmortem macro in edit mode (with its triage) and read-only', async () => {
  const editor = await pageAs(EDITOR_ID);
  await editor.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  // The draft (Payment retries) is the second macro on the page; the published one above it is checked too.
  const draft = editor.frameLocator('iframe.forge-frame').last();
  await draft.getByLabel('Summary', { exact: true }).waitFor();
  await draft.getByRole('button', { name: 'Triage view' }).click();
  await draft.getByRole('table', { name: 'Effort and impact grid' }).waitFor();
  await check(editor, 'macro (edit)');
  // The README's dark-theme screenshots (`npm run screenshots`).
  if (mode === 'dark') await editor.locator('iframe.forge-frame').last().screenshot({ path: screenshotPath('dark-postmortem-macro.png') });

  const viewer = await pageAs(VIEWER_ID);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  await app(viewer).getByText('You can view this postmortem. Only people who can edit the page can change it.').waitFor();
  await app(viewer).getByLabel('Jira issue of action item 1').waitFor();
  await check(viewer, 'macro (read-only)');
});

it('the follow-through report in Jira and in Confluence', async () => {
  const page = await pageAs(EDITOR_ID);
  await page.goto('/jira/projects/OPS/apps/pft-follow-through-project');
  await app(page).locator('tr[data-key]').first().waitFor();
  await check(page, 'report (Jira)');
  if (mode === 'dark') await page.screenshot({ path: screenshotPath('dark-report.png'), fullPage: true });
  await page.goto('/wiki/apps/pft-follow-through');
  await app(page).locator('tr[data-key]').first().waitFor();
  await check(page, 'report (Confluence)');
});

it('the index, insights and search tabs', async () => {
  const page = await pageAs(EDITOR_ID);
  await page.goto('/wiki/apps/pft-postmortem-index');
  const a = app(page);
  await a.locator('table.grid tbody tr').first().waitFor();
  await check(page, 'index');
  await a.getByRole('tab', { name: 'Insights' }).click();
  await a.locator('#panel-insights figure, #panel-insights table').first().waitFor();
  await check(page, 'insights');
  if (mode === 'dark') await page.locator('iframe.forge-frame').screenshot({ path: screenshotPath('dark-insights.png') });
  await a.getByRole('tab', { name: 'Search' }).click();
  await a.locator('#panel-search input').first().fill('checkout');
  await a.locator('#panel-search input').first().press('Enter');
  await a.locator('#panel-search li, #panel-search tr').first().waitFor();
  await check(page, 'search');
});

it('the settings page, for an administrator and read-only', async () => {
  const admin = await pageAs(ADMIN_ID);
  await admin.goto('/jira/settings/apps/pft-settings');
  await app(admin).locator('#staleAfterDays').waitFor();
  await check(admin, 'settings');
  const viewer = await pageAs(VIEWER_ID);
  await viewer.goto('/jira/settings/apps/pft-settings');
  await app(viewer).getByText('Only Jira administrators can change these settings.').waitFor();
  await check(viewer, 'settings (read-only)');
});

it('the issue panel and the incident action', async () => {
  const page = await pageAs(EDITOR_ID);
  await page.goto(`/jira/browse/${p1.open}`);
  await app(page).getByText(/^Created /).first().waitFor();
  await check(page, 'issue panel');
  // INC-3 has no postmortem yet (the demo's cover INC-1 and INC-2).
  await page.goto('/jira/browse/INC-3?action=pft-create-postmortem');
  await page.frameLocator('iframe.forge-frame[src*="/incident-ui/"]').getByRole('button', { name: /Create postmortem page/ }).waitFor();
  await check(page, 'incident action');
  await page.goto('/wiki/apps/pft-postmortems');
  await app(page).getByLabel('Incident issue key').waitFor();
  await check(page, 'incident start page');
});

it('the dashboard gadget, its view and its edit view (issue 16)', async () => {
  // The demo's dashboard: Eden's, with the gadget configured.
  const page = await pageAs(EDITOR_ID);
  await page.goto(`/jira/dashboards/${DEMO_DASHBOARD_ID}`);
  const gadget = page.frameLocator('section.gadget iframe.forge-frame').first();
  await gadget.locator('tr[data-key]').first().waitFor();
  await gadget.getByRole('heading', { name: 'Postmortems overdue' }).waitFor();
  await check(page, 'dashboard gadget');
  await page.getByRole('link', { name: 'Configure' }).click();
  await page.frameLocator('section.gadget iframe.forge-frame').first().getByRole('group', { name: 'Reasons' }).waitFor();
  await check(page, 'dashboard gadget (edit)');
  });
});

it('the check itself finds a violation inside a Custom UI frame', async () => {
  const admin = await env().pageAs(ADMIN_ID);
  await admin.goto('/jira/settings/apps/pft-settings');
  await app(admin).locator('#staleAfterDays').waitFor();
  // A button with no name (critical: button-name), added to the app's cross-origin frame.
  await app(admin).locator('body').evaluate((body) => body.appendChild(body.ownerDocument.createElement('button')));
  expect(await seriousViolations(admin, 'settings')).toEqual([expect.stringMatching(/^settings \[\/__site\/resources\/settings-ui\/index\.html\] critical button-name:/)]);
});

describe('the theme check itself', () => {
  async function darkSettings(): Promise<{ page: Page; frame: FrameLocator }> {
    env().site.setColorMode(ADMIN_ID, 'dark');
    const page = await env().pageAs(ADMIN_ID);
    await page.goto('/jira/settings/apps/pft-settings');
    await app(page).locator('#staleAfterDays').waitFor();
    expect(await themeProblemsOnceApplied(page, 'settings', 'dark')).toEqual([]);
    return { page, frame: app(page) };
  }

  it('fails a surface that does not follow the dark theme (never called view.theme.enable())', async () => {
    const { page, frame } = await darkSettings();
    // What the frame looks like without view.theme.enable(): no theme attributes, so no token CSS applies and the
    // var(--ds-…, fallback) values are the light theme's.
    await frame.locator('html').evaluate((root) => {
      root.removeAttribute('data-color-mode');
      root.removeAttribute('data-theme');
    });
    const problems = await themeProblems(page, 'settings', 'dark');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^settings \[\/__site\/resources\/settings-ui\/index\.html\]: <html data-color-mode> is null, not "dark"/),
        expect.stringMatching(/^settings \[\/__site\/resources\/settings-ui\/index\.html\]: html background is not dark/),
        expect.stringMatching(/^settings \[\/__site\/resources\/settings-ui\/index\.html\]: html text is not light/),
      ]),
    );
  });

  it('fails a hard-coded light panel inside a surface that is otherwise dark', async () => {
    const { page, frame } = await darkSettings();
    // A panel styled with literal colours instead of tokens (the mistake the check is for).
    await frame.locator('#root').evaluate((root) => {
      const panel = root.ownerDocument.createElement('section');
      panel.className = 'hard-coded';
      panel.textContent = 'Unthemed panel';
      panel.style.background = '#ffffff';
      panel.style.color = '#172b4d';
      panel.style.height = '80px';
      root.prepend(panel);
    });
    expect(await themeProblems(page, 'settings', 'dark')).toEqual([
      expect.stringMatching(/^settings \[\/__site\/resources\/settings-ui\/index\.html\]: near-white boxes in the dark theme .*: section\.hard-coded$/),
    ]);
  });

  it('the host pages follow the theme switch, kept in the site state', async () => {
    env().site.setColorMode(EDITOR_ID, 'light');
    const page = await env().pageAs(EDITOR_ID);
    await page.goto('/wiki/apps/pft-follow-through');
    await app(page).locator('h1').first().waitFor();
    expect(await themeProblemsOnceApplied(page, 'report', 'light')).toEqual([]);
    // The switch in the header: the page reloads dark, and its frame with it.
    await Promise.all([page.waitForURL('**/wiki/apps/pft-follow-through'), page.getByLabel('Theme').selectOption('dark')]);
    await page.waitForSelector('html[data-color-mode="dark"]');
    await app(page).locator('h1').first().waitFor();
    expect(await themeProblemsOnceApplied(page, 'report', 'dark')).toEqual([]);
    expect(env().site.state.themes?.[EDITOR_ID]).toBe('dark');
  });
});
