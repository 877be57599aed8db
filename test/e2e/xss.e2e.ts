/**
 * HTML and script in any text a person can type — postmortem fields, action items, owner names, an incident
 * summary in Jira, a hostile issue property with a `javascript:` link — render inert, as literal text, in
 * every screen of the app and in the local site's own screens. The test fails if any script runs in any frame
 * (each payload sets window.__pwned) or if a payload is not shown as the text that was typed.
 */
import type { Frame, Page } from 'playwright-core';
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { CreateRun } from '../../src/contract/action-items';
import type { PostmortemPageRef } from '../../src/contract/incident-postmortem';
import type { ActionItem } from '../../src/contract/postmortem';
import type { Result } from '../../src/contract/result';
import { EDITOR_ID } from '../../local-site/state/users';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();
jest.setTimeout(90_000);

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const SVG = '<svg onload="window.__pwned=1"></svg>';
const LINK = 'javascript:window.__pwned=1';
const TITLE = `Outage ${SCRIPT}`;

function value<T>(r: unknown): T {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.value;
}

let pageId: string;
let issueKeys: string[];

beforeAll(async () => {
  const s = env().site;
  // A Jira user writes markup into the incident's summary; the postmortem page is made from it.
  s.state.jira.issues.find((i) => i.key === 'INC-2')!.summary = TITLE;
  const ref = value<PostmortemPageRef>(await s.invokeUi('pft-create-postmortem', { functionKey: 'createPostmortemPage', payload: {} }, { accountId: EDITOR_ID, extension: { issue: { key: 'INC-2' } } }));
  pageId = ref.pageId;
  const page = s.state.confluence.pages.find((p) => p.id === pageId)!;
  const localId = page.properties.find((p) => p.key.startsWith('pft-postmortem-'))!.key.replace('pft-postmortem-', '');
  const macro = (functionKey: string, payload?: unknown) => s.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId, extension: { content: { id: pageId, type: 'page' } } });

  // The editor types markup into every kind of field.
  const loaded = value<LoadedPostmortem>(await macro('loadPostmortem'));
  const owner = { kind: 'team' as const, id: 'payments', displayName: IMG };
  const items: ActionItem[] = [
    { id: 'x1', title: `Fix ${IMG}`, description: SCRIPT, owner, effort: 'low', impact: 'high', dueDate: '2020-01-01', state: 'accepted' },
    { id: 'x2', title: `Link ${LINK}`, description: SVG, owner: null, effort: 'low', impact: 'medium', dueDate: '2020-01-01', state: 'accepted' },
  ];
  const pm = {
    ...loaded.postmortem,
    summary: SCRIPT,
    impact: IMG,
    rootCause: SVG,
    timeline: [{ id: 't1', at: '2026-11-01T10:00:00.000Z', kind: 'detection' as const, text: IMG, author: SCRIPT }],
    fiveWhys: [LINK],
    tags: ['<b>bold</b>'],
    actionItems: items,
  };
  value<SaveOutcome>(await macro('savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  const run = value<CreateRun>(await macro('createIssues', {}));
  issueKeys = run.outcomes.map((o) => ('issueKey' in o ? o.issueKey : ''));
  expect(issueKeys.every(Boolean)).toBe(true);
  // A hostile Jira user rewrites the issue property the origin panel and the report link to.
  const hostile = s.state.jira.issues.find((i) => i.key === issueKeys[1])!;
  Object.assign(hostile.properties['postmortem-action-item'] as Record<string, unknown>, { pageUrl: LINK, postmortemTitle: SVG });
  // The follow-up job comments on the overdue items, quoting the postmortem's title.
  await s.runScheduledTrigger('pft-daily-follow-up');
  await s.drainQueue();
}, 90_000);

/** Everything a frame shows as text: its visible text and the values of its form fields. */
async function shownText(frame: Frame): Promise<string> {
  // The callbacks run in the browser (typed loosely: the project's TypeScript has no DOM library).
  return frame.evaluate(() => {
    const doc = (globalThis as any).document;
    const fields = [...doc.querySelectorAll('input, textarea, select')].map((e: any) => String(e.value));
    return [doc.body?.innerText ?? '', ...fields].join('\n');
  });
}

async function expectInert(page: Page, label: string): Promise<void> {
  await page.waitForTimeout(300); // onerror/onload handlers would have fired by now
  for (const frame of page.frames()) {
    const pwned = await frame.evaluate(() => (globalThis as any).__pwned).catch(() => undefined);
    expect([label, frame.url(), pwned]).toEqual([label, frame.url(), undefined]);
    // No payload became markup: no handler, link or script carrying it, no javascript: link that would run.
    const live = await frame.evaluate(() => {
      const blocked = /^javascript:throw new Error\('React has blocked a javascript: URL/;
      const found: string[] = [];
      for (const el of [...(globalThis as any).document.querySelectorAll('*')] as any[]) {
        if (el.tagName === 'SCRIPT' && (el.textContent ?? '').includes('__pwned')) found.push('script element');
        for (const a of [...el.attributes] as { name: string; value: string }[]) {
          const handler = /^on/i.test(a.name) || a.name.toLowerCase() === 'srcdoc';
          const url = /^(href|src|action|formaction|data|xlink:href)$/i.test(a.name);
          if ((handler && a.value.includes('__pwned')) || (url && /^\s*(javascript|data|vbscript):/i.test(a.value) && !blocked.test(a.value))) found.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
      return found;
    }).catch(() => []);
    expect([label, frame.url(), live]).toEqual([label, frame.url(), []]);
  }
}

const appFrame = (page: Page) => page.frames().find((f) => f.url().includes('/__site/resources/'))!;

it('the macro shows every payload as typed, and runs none', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${pageId}`);
  const app = page.frameLocator('iframe.forge-frame');
  await app.getByLabel('Summary', { exact: true }).waitFor();
  expect(await app.getByLabel('Summary', { exact: true }).inputValue()).toBe(SCRIPT);
  expect(await app.getByLabel('Impact', { exact: true }).inputValue()).toBe(IMG);
  const text = await shownText(appFrame(page));
  for (const p of [SCRIPT, IMG, SVG, LINK, `Fix ${IMG}`, TITLE]) expect([p, text.includes(p)]).toEqual([p, true]);
  // The page itself (the local Confluence) shows its title literally.
  expect(await page.locator('h1').first().innerText()).toContain(TITLE);
  await expectInert(page, 'macro');
});

it('the report, the origin panel and the incident action show them as text, and run none', async () => {
  const page = await env().pageAs(EDITOR_ID);
  await page.goto('/jira/projects/OPS/apps/pft-follow-through-project');
  await page.frameLocator('iframe.forge-frame').locator(`tr[data-key="${issueKeys[0]}"]`).waitFor();
  expect(await shownText(appFrame(page))).toContain(`Fix ${IMG}`);
  // The hostile link is not followed as script even when clicked.
  const hostileRow = page.frameLocator('iframe.forge-frame').locator(`tr[data-key="${issueKeys[1]}"]`);
  const links = hostileRow.locator('a');
  for (let i = 0; i < (await links.count()); i += 1) await links.nth(i).click({ modifiers: ['Control'] }).catch(() => undefined);
  await expectInert(page, 'report (Jira project page)');

  await page.goto('/wiki/apps/pft-follow-through');
  await page.frameLocator('iframe.forge-frame').locator(`tr[data-key="${issueKeys[0]}"]`).waitFor();
  await expectInert(page, 'report (Confluence page)');

  for (const key of issueKeys) {
    await page.goto(`/jira/browse/${key}`);
    const origin = page.frameLocator('iframe.forge-frame').first();
    await origin.getByText('Action item from the postmortem').waitFor();
    const shown = await shownText(appFrame(page));
    // The panel shows the app's own record of the issue (issue 12): the hostile property's title is not shown at all.
    expect(shown).toContain(TITLE);
    expect(shown).not.toContain(SVG);
    // The local Jira's own issue view: summary, description and the app's follow-up comment, literally.
    const jiraText = await page.locator('body').innerText();
    expect(jiraText).toContain(key === issueKeys[0] ? `Fix ${IMG}` : `Link ${LINK}`);
    expect(jiraText).toContain(TITLE); // quoted by the follow-up comment
    await expectInert(page, `issue ${key}`);
    // Following the panel's links (the hostile one included) runs nothing either.
    const links = origin.locator('a');
    for (let i = 0; i < (await links.count()); i += 1) await links.nth(i).click({ modifiers: ['Control'] }).catch(() => undefined);
    await expectInert(page, `issue ${key}, links followed`);
  }

  await page.goto('/jira/browse/INC-2?action=pft-create-postmortem');
  await page.frameLocator('iframe.forge-frame').first().getByText('This incident has a postmortem').waitFor();
  expect(await shownText(appFrame(page))).toContain(TITLE);
  await expectInert(page, 'incident action');
});

it("the local site's own screens escape what they list", async () => {
  const page = await env().pageAs(EDITOR_ID);
  for (const url of ['/wiki', '/wiki/spaces/ENG', '/jira', '/jira/projects/OPS', '/jira/projects/INC', `/wiki/pages/${pageId}/export`, '/__site/platform']) {
    await page.goto(url);
    await expectInert(page, url);
  }
  await page.goto('/wiki/spaces/ENG');
  expect(await page.locator('body').innerText()).toContain(TITLE);
  await page.goto('/jira/projects/OPS');
  expect(await page.locator('body').innerText()).toContain(`Fix ${IMG}`);
  // The postmortem index, when the app has one.
  if (env().site.manifest.uiModules.some((m) => m.key === 'pft-postmortem-index')) {
    await page.goto('/wiki/apps/pft-postmortem-index');
    await page.waitForTimeout(1500);
    await expectInert(page, 'postmortem index');
  }
});
