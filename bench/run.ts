/**
 * `npm run bench`: REST calls and wall time of the app's main operations on the local site, next to the
 * minimum possible, with injected latency per product request. Figures are printed, never asserted.
 */
import { LocalSite } from '../local-site/site';
import { EDITOR_ID } from '../local-site/state/users';
import { ONCALL_PAGE_ID } from '../local-site/confluence/seed';
import type { LoadedPostmortem, SaveOutcome } from '../src/contract/postmortem-macro';
import type { CreateRun } from '../src/contract/action-items';
import type { ActionItem } from '../src/contract/postmortem';
import type { Result } from '../src/contract/result';

const LOCAL_ID = 'bench-0000-4000-8000-000000000001';

function unwrap<T>(r: unknown): T {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.value;
}

async function benchCreateIssues(n: number, latencyMs: number): Promise<Record<string, string | number>> {
  const site = new LocalSite({ stateFile: null, contract: 'off' }).install();
  const call = (functionKey: string, payload?: unknown) =>
    site.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } });
  const loaded = unwrap<LoadedPostmortem>(await call('loadPostmortem'));
  const items: ActionItem[] = Array.from({ length: n }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' }));
  unwrap<SaveOutcome>(await call('savePostmortem', { postmortem: { ...loaded.postmortem, incidentKey: 'INC-1', actionItems: items }, base: loaded.postmortem, baseVersion: 0 }));

  site.log.clear();
  site.faults.latencyMs = latencyMs;
  const started = Date.now();
  let run = unwrap<CreateRun>(await call('createIssues', {}));
  if (run.status !== 'done') {
    await site.drainQueue();
    run = unwrap<CreateRun>(await call('getCreateRun', { runId: run.runId }));
  }
  const ms = Date.now() - started;
  const created = run.outcomes.filter((o) => o.state === 'created').length;
  const product = site.log.entries.filter((e) => e.product === 'jira' || e.product === 'confluence');
  const minimum = Math.ceil(n / 50) + n;
  site.close();
  return {
    items: n,
    'latency ms': latencyMs,
    created,
    'REST calls': product.length,
    'minimum (bulk + remote links)': minimum,
    'overhead calls': product.length - minimum,
    'bulk creates': product.filter((e) => e.endpoint === '/rest/api/3/issue/bulk').length,
    'wall ms': ms,
    path: n > 20 ? 'queue' : 'inline',
  };
}

async function main(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const latency of [0, 100]) {
    for (const n of [1, 50, 120]) rows.push(await benchCreateIssues(n, latency));
  }
  console.log('\nCreate Jira issues for N accepted action items (local site, REST calls counted per request)');
  console.table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
