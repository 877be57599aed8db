/**
 * Custom UI as Atlassian hosts it: each frame on another origin, in the documented sandbox, under the
 * Content-Security-Policy Forge applies; navigation through the bridge with the targets each product's host
 * supports. The app works inside those walls: the .ics downloads, Jira issues open from Confluence by URL.
 */
import type { Frame, Page } from 'playwright-core';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { CreateRun } from '../../src/contract/action-items';
import type { Result } from '../../src/contract/result';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();
jest.setTimeout(60_000);

const LOCAL_ID = 'aaaaaaaa-0000-4000-8000-0000000000e1';

function value<T>(r: unknown): T {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The app frame of a module, once its app has rendered. */
async function appFrame(page: Page, resource: string, ready: string): Promise<Frame> {
  await page.frameLocator(`iframe.forge-frame[src*="/${resource}/"]`).first().getByText(ready).first().waitFor();
  return page.frames().find((f) => f.url().includes(`/__site/resources/${resource}/`))!;
}

/** A bridge call made from inside a frame, as @forge/bridge makes it: resolves to its result or its error message. */
function bridge(frame: Frame, type: string, payload: unknown): Promise<string> {
  return frame.evaluate(
    ([t, p]) => (globalThis as unknown as { __bridge: { callBridge(t: string, p: unknown): Promise<unknown> } }).__bridge.callBridge(t as string, p).then(() => 'done', (e: Error) => e.message),
    [type, payload] as const,
  );
}

/** Waits until the site has received CSP reports for these directives, then takes them (and their console lines) off the record. */
async function takeExpectedViolations(directives: RegExp[]): Promise<string[]> {
  const { site, pageErrors } = env();
  for (let i = 0; i < 100 && !directives.every((d) => site.cspViolations.some((v) => d.test(v))); i += 1) await new Promise((r) => setTimeout(r, 100));
  const taken = site.cspViolations.splice(0);
  for (let i = pageErrors.length - 1; i >= 0; i -= 1) if (/Content Security Policy/.test(pageErrors[i])) pageErrors.splice(i, 1);
  return taken;
}

it('runs the macro on its own origin, sandboxed, under Forge’s CSP; the .ics still downloads', async () => {
  const { site } = env();
  site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const frame = await appFrame(page, 'postmortem-ui', 'Summary');

  const iframe = page.locator('iframe.forge-frame').first();
  expect((await iframe.getAttribute('sandbox'))!.split(' ').sort()).toEqual(['allow-downloads', 'allow-forms', 'allow-modals', 'allow-pointer-lock', 'allow-same-origin', 'allow-scripts']);
  // (Browser-side code as strings: the backend's tsconfig has no DOM types.)
  const frameOrigin = await frame.evaluate<string>('location.origin');
  expect(frameOrigin).toBe(new URL(site.resourceBaseUrl!).origin);
  expect(frameOrigin).not.toBe(new URL(site.baseUrl).origin);
  // The product page's DOM is out of the frame's reach.
  expect(await frame.evaluate<string>('(() => { try { return String(window.parent.document.title); } catch (e) { return e.name; } })()')).toBe('SecurityError');

  // No 'unsafe-inline' for styles and no client-side egress in the manifest: both are refused.
  const color = await frame.evaluate<string>(`(() => {
    const probe = document.createElement('div');
    probe.setAttribute('style', 'color: rgb(255, 0, 0)');
    document.body.appendChild(probe);
    return getComputedStyle(probe).color;
  })()`);
  expect(color).not.toBe('rgb(255, 0, 0)');
  const elsewhere = site.baseUrl.replace('127.0.0.1', 'localhost');
  expect(await frame.evaluate((url) => fetch(url).then(() => 'fetched', (e: Error) => e.name), `${elsewhere}/rest/api/3/myself`)).toBe('TypeError');
  const reports = await takeExpectedViolations([/style-src/, /connect-src/]);
  expect(reports.every((r) => /style-src|connect-src/.test(r))).toBe(true);

  // The review meeting's calendar file downloads from inside the sandbox (allow-downloads).
  const app = page.frameLocator('iframe.forge-frame').first();
  await app.getByRole('button', { name: 'Next business day 10:00' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), app.getByRole('link', { name: 'Download .ics' }).click()]);
  expect(download.suggestedFilename()).toBe(`postmortem-review-${ONCALL_PAGE_ID}.ics`);
  await app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();
});

it('navigates with the targets each product supports; a Confluence frame opens a Jira issue by its URL', async () => {
  const { site } = env();
  site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
  // A postmortem with one action item that has its Jira issue (created through the app, as the editor).
  const call = (functionKey: string, payload?: unknown) =>
    site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } });
  const loaded = value<LoadedPostmortem>(await call('loadPostmortem'));
  const pm = { ...loaded.postmortem, title: 'Checkout latency', actionItems: [{ id: 'item-1', title: 'Alert on checkout errors', description: '', owner: null, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const }] };
  value<SaveOutcome>(await call('savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  const run = value<CreateRun>(await call('createIssues', {}));
  const key = (run.outcomes[0] as { issueKey: string }).issueKey;

  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const macro = await appFrame(page, 'postmortem-ui', 'Summary');
  // `issue` is a Jira target: Confluence's host refuses it and stays where it is.
  expect(await bridge(macro, 'navigate', { target: 'issue', issueKey: key, type: 'same-tab' })).toBe('Navigation target "issue" is not supported in Confluence.');
  expect(new URL(page.url()).pathname).toBe(`/wiki/pages/${ONCALL_PAGE_ID}`);
  // The app opens the issue by its absolute URL instead.
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.frameLocator('iframe.forge-frame').first().getByRole('button', { name: key }).click()]);
  await tab.waitForURL(new RegExp(`/jira/browse/${key}$`));
  await tab.close();

  // In Jira it is the other way round.
  const admin = await env().pageAs(ADMIN_ID);
  await admin.goto('/jira/settings/apps/pft-settings');
  const settings = await appFrame(admin, 'settings-ui', 'Follow-up');
  expect(await bridge(settings, 'navigate', { target: 'contentView', contentId: ONCALL_PAGE_ID, type: 'same-tab' })).toBe('Navigation target "contentView" is not supported in Jira.');
  // A same-tab navigation may tear the frame down before the bridge's answer reaches it: the page arriving at
  // the issue is the proof, and a frame destroyed by that navigation counts as the call having succeeded.
  const navigated = admin.waitForURL(new RegExp(`/jira/browse/${key}$`));
  const answer = await bridge(settings, 'navigate', { target: 'issue', issueKey: key, type: 'same-tab' }).catch((e: Error) => {
    if (/Execution context was destroyed|frame was detached|Target closed/i.test(e.message)) return 'done';
    throw e;
  });
  expect(answer).toBe('done');
  await navigated;
});
