/**
 * Arranging a test through the app's own resolvers: a postmortem saved on the on-call page as Eden, with its
 * Jira issues created. Shared by the integration and browser tests, so each test's own steps are about what
 * it proves.
 */
import type { LoadedPostmortem, SaveOutcome } from '../../src/contract/postmortem-macro';
import type { CreateRun } from '../../src/contract/action-items';
import type { Postmortem } from '../../src/contract/postmortem';
import { EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';
import { macroDriver, value, type UiArgs, type UiFunction } from './ui-driver';

/** Saves the macro `localId` on the on-call page as Eden, with `change` applied, creates its issues and returns their keys by item id. */
export async function postmortemWithIssues(s: LocalSite, localId: string, change: Partial<Postmortem>): Promise<Record<string, string>> {
  const macro = <F extends UiFunction<'pft-postmortem'>>(functionKey: F, ...args: UiArgs<'pft-postmortem', F>) => macroDriver(s, localId, ONCALL_PAGE_ID)(EDITOR_ID, functionKey, ...args);
  const loaded = value<LoadedPostmortem>(await macro('loadPostmortem'));
  const pm = { ...loaded.postmortem, ...change };
  const saved = value<SaveOutcome>(await macro('savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  if (saved.kind !== 'saved') throw new Error(`not saved: ${saved.kind}`);
  let run = value<CreateRun>(await macro('createIssues', {}));
  if (run.status !== 'done') {
    await s.drainQueue();
    run = value<CreateRun>(await macro('getCreateRun', { runId: run.runId }));
  }
  return Object.fromEntries(run.outcomes.map((o) => [o.itemId, 'issueKey' in o ? o.issueKey : '']));
}
