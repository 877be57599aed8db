/**
 * Arranging browser tests through the app's own resolvers (not the browser), so each test's browser steps
 * are about what it proves: a postmortem saved on the on-call page with its Jira issues created.
 */
import type { Page } from 'playwright-core';
import type { LoadedPostmortem, SaveOutcome } from '../../../src/contract/postmortem-macro';
import type { CreateRun } from '../../../src/contract/action-items';
import type { Postmortem } from '../../../src/contract/postmortem';
import type { Result } from '../../../src/contract/result';
import { EDITOR_ID } from '../../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../../local-site/confluence/seed';
import type { LocalSite } from '../../../local-site/site';

export function value<T>(r: unknown): T {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.value;
}

/** Saves the macro `localId` on the on-call page as Eden, with `change` applied, creates its issues and returns their keys by item id. */
export async function postmortemWithIssues(s: LocalSite, localId: string, change: Partial<Postmortem>): Promise<Record<string, string>> {
  const macro = (functionKey: string, payload?: unknown) => s.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId, extension: { content: { id: ONCALL_PAGE_ID } } });
  const loaded = value<LoadedPostmortem>(await macro('loadPostmortem'));
  const pm = { ...loaded.postmortem, ...change };
  value<SaveOutcome>(await macro('savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  let run = value<CreateRun>(await macro('createIssues', {}));
  if (run.status !== 'done') {
    await s.drainQueue();
    run = value<CreateRun>(await macro('getCreateRun', { runId: run.runId }));
  }
  return Object.fromEntries(run.outcomes.map((o) => [o.itemId, 'issueKey' in o ? o.issueKey : '']));
}

/** In the browser: edit the page, insert the postmortem macro, publish, and wait for the page view. */
export async function insertMacroInBrowser(page: Page, pageId: string): Promise<void> {
  await page.goto(`/wiki/pages/${pageId}/edit`);
  await page.locator('[data-testid=insert-pft-postmortem]').click();
  await page.locator('#publish').click();
  await page.waitForURL(new RegExp(`/wiki/pages/${pageId}$`));
}
