/**
 * Reading what was written, as people see it through the local site: answers shown whole (long ones scroll),
 * one date format, Confluence's Edit only for those who may edit, Jira's issue view with a long property,
 * and mentions by name.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { CreateRun } from '../../src/contract/action-items';
import type { Result } from '../../src/contract/result';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();
jest.setTimeout(90_000);
const macro = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame').first();
const LOCAL_ID = 'e2e00000-0000-4000-8000-000000000222';
const LONG_LINE = Array.from({ length: 16 }, (_, i) => `The checkout service returned errors (${i + 1}) while the queue kept growing`).join(', ') + '.';
const VERY_LONG = Array.from({ length: 300 }, (_, i) => `Line ${i + 1}: customers saw a spinner.`).join('\n');

let keys: string[] = [];

beforeAll(async () => {
  const { site } = env();
  site.placeMacro(CATALOGUE_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
  const call = (functionKey: string, payload?: unknown) => site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: CATALOGUE_PAGE_ID, type: 'page' } } });
  const loaded = (await call('loadPostmortem')) as Result<LoadedPostmortem>;
  if (!loaded.ok) throw new Error(loaded.error.message);
  const pm = {
    ...loaded.value.postmortem,
    title: 'Queue backlog',
    summary: LONG_LINE,
    impact: VERY_LONG,
    actionItems: [{ id: 'dated', title: 'Alert on queue depth', description: '', owner: { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' }, effort: 'low' as const, impact: 'high' as const, dueDate: '2099-12-21', state: 'accepted' as const }],
  };
  const saved = (await call('savePostmortem', { postmortem: pm, base: loaded.value.postmortem, baseVersion: loaded.value.version })) as Result<SaveOutcome>;
  if (!saved.ok) throw new Error(saved.error.message);
  const run = (await call('createIssues', {})) as Result<CreateRun>;
  if (!run.ok) throw new Error(run.error.message);
  keys = run.value.outcomes.map((o) => ('issueKey' in o ? o.issueKey : ''));
}, 60_000);

/** The text area's heights, in the page (Playwright runs the function there; the DOM is typed loosely here). */
async function box(area: Locator): Promise<{ scroll: number; client: number; overflow: string; line: number; top: number }> {
  return area.evaluate((el: any) => {
    const style = (globalThis as any).getComputedStyle(el);
    return { scroll: el.scrollHeight, client: el.clientHeight, overflow: style.overflowY, line: parseFloat(style.lineHeight), top: el.scrollTop };
  });
}

it.each([
  ['an editor', EDITOR_ID],
  ['a reader', VIEWER_ID],
])('shows %s a long one-line answer whole (wrapped lines count) and scrolls a very long one', async (_who, accountId) => {
  const page = await env().pageAs(accountId);
  await page.goto(`/wiki/pages/${CATALOGUE_PAGE_ID}`);
  const app = macro(page);
  const summary = app.getByLabel('Summary', { exact: true });
  await summary.waitFor();
  expect(await summary.inputValue()).toBe(LONG_LINE);
  const s = await box(summary);
  expect(s.scroll).toBeLessThanOrEqual(s.client + 1); // nothing hidden
  expect(s.client).toBeGreaterThan(4 * s.line); // the one line wraps to several, and the box is that tall

  const impact = app.getByLabel('Impact', { exact: true });
  const i = await box(impact);
  expect(i.overflow).toBe('auto');
  expect(i.scroll).toBeGreaterThan(i.client);
  expect(i.client).toBeLessThan(30 * i.line); // a limit, not 300 lines
  // Wheel over the field; the theme's token CSS may still arrive and move the layout, so the pointer is put back
  // over the field before each try (a person scrolling does the same).
  for (let tries = 0; (await box(impact)).top === 0 && tries < 20; tries += 1) {
    await impact.hover();
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
  }
  expect((await box(impact)).top).toBeGreaterThan(0);
});

it('writes every date one way, the site locale\'s (what its date pickers show), in the site time zone', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${CATALOGUE_PAGE_ID}`);
  const app = macro(page);
  const issue = app.getByLabel('Jira issue of action item 1');
  await issue.getByText('Due 12/21/2099').waitFor();
  // The picker holds the same day; Chromium shows an en-US date input as mm/dd/yyyy, the locale the site gives the app.
  expect(await app.getByLabel('Due date of action item 1').inputValue()).toBe('2099-12-21');
  expect(await app.locator('body').evaluate(() => (globalThis as any).navigator.language)).toBe('en-US');

  await page.goto('/jira/projects/OPS/apps/pft-follow-through-project');
  const row = page.frameLocator('iframe.forge-frame').locator(`tr[data-key="${keys[0]}"]`);
  await row.waitFor();
  expect(await row.locator('td').nth(5).innerText()).toBe('12/21/2099');
  expect(await row.locator('td').nth(7).innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  await page.frameLocator('iframe.forge-frame').getByText(/as of \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} [AP]M \(UTC\)/).waitFor();

  await page.goto(`/jira/browse/${keys[0]}`);
  await page.frameLocator('iframe.forge-frame').first().getByText(/^Created \d{2}\/\d{2}\/\d{4}\.$/).waitFor();
});

it('Confluence shows Edit only to people who may edit the page', async () => {
  const viewer = await env().pageAs(VIEWER_ID);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  await viewer.getByRole('link', { name: /Export/ }).waitFor();
  expect(await viewer.locator('#edit-page').count()).toBe(0);
  await viewer.goto(`/wiki/pages/${ONCALL_PAGE_ID}/edit`);
  await viewer.getByRole('alert').filter({ hasText: "You don't have permission to edit this page." }).waitFor();
  expect(await viewer.locator('#editor').count()).toBe(0);

  const editor = await env().pageAs(EDITOR_ID);
  await editor.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  await editor.locator('#edit-page').waitFor();
});

it('Jira keeps the issue view\'s layout next to a long property, and shows mentions by name', async () => {
  const { site } = env();
  const key = keys[0];
  const issue = site.state.jira.issues.find((i) => i.key === key)!;
  issue.properties['some-other-app'] = { note: 'x'.repeat(3000) };
  await site.handleProduct('jira', {
    method: 'POST',
    path: `/rest/api/3/issue/${key}/comment`,
    query: new URLSearchParams(),
    headers: {},
    actor: { kind: 'user', accountId: ADMIN_ID },
    body: { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Over to you, ' }, { type: 'mention', attrs: { id: EDITOR_ID } }] }] } },
  });
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/jira/browse/${key}`);
  await page.locator('#comments').getByText('Over to you, @Eden Editor').waitFor();
  expect(await page.locator('#comments').innerText()).not.toContain(EDITOR_ID);
  const layout = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const [main, side] = Array.from(doc.querySelectorAll('.grid2 > div')) as any[];
    return { page: doc.documentElement.scrollWidth as number, viewport: doc.documentElement.clientWidth as number, main: main.getBoundingClientRect().width as number, side: side.getBoundingClientRect().width as number };
  });
  expect(layout.page).toBeLessThanOrEqual(layout.viewport);
  expect(layout.main).toBeGreaterThan(layout.side); // 2 : 1, as without the property
});
