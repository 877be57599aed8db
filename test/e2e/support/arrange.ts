/**
 * Arranging browser tests through the app's own resolvers (not the browser), so each test's browser steps
 * are about what it proves: a postmortem saved on the on-call page with its Jira issues created.
 */
import type { Page } from 'playwright-core';
import type { LoadedPostmortem, SaveOutcome } from '../../../src/contract/postmortem-macro';
import type { CreateRun } from '../../../src/contract/action-items';
import type { Postmortem } from '../../../src/contract/postmortem';
import { EDITOR_ID } from '../../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../../local-site/confluence/seed';
import type { LocalSite } from '../../../local-site/site';
import { macroDriver, value, type UiArgs, type UiFunction } from '../../support/ui-driver';

export { value };

/** Saves the macro `localId` on the on-call page as Eden, with `change` applied, creates its issues and returns their keys by item id. */
export async function postmortemWithIssues(s: LocalSite, localId: string, change: Partial<Postmortem>): Promise<Record<string, string>> {
  const macro = <F extends UiFunction<'pft-postmortem'>>(functionKey: F, ...args: UiArgs<'pft-postmortem', F>) => macroDriver(s, localId, ONCALL_PAGE_ID)(EDITOR_ID, functionKey, ...args);
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
