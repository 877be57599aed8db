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

/** Arranges `open` open action-item issues in OPS (straight into the site's Jira), `due` of them unassigned. */
function seedOpenItems(site: LocalSite, open: number, due: number): void {
  const jira = site.state.jira;
  const ops = jira.projects.find((p) => p.key === 'OPS')!;
  const task = jira.issueTypes.find((t) => t.name === 'Task')!;
  const todo = jira.statuses.find((st) => st.statusCategory === 'new')!;
  const high = jira.priorities.find((p) => p.name === 'High')!;
  const now = site.now().toISOString();
  for (let i = 0; i < open; i += 1) {
    jira.counters.issueId += 1;
    jira.counters.perProject.OPS = (jira.counters.perProject.OPS ?? 0) + 1;
    jira.issues.push({
      id: String(jira.counters.issueId),
      key: `OPS-${jira.counters.perProject.OPS}`,
      projectId: ops.id,
      issueTypeId: task.id,
      statusId: todo.id,
      priorityId: high.id,
      assigneeId: i < due ? null : EDITOR_ID,
      reporterId: EDITOR_ID,
      summary: `Action item ${i}`,
      description: null,
      labels: ['postmortem', 'postmortem-action-item'],
      duedate: null,
      created: now,
      updated: now,
      resolutionId: null,
      resolutiondate: null,
      customFields: {},
      properties: {
        'postmortem-action-item': { itemId: `${ONCALL_PAGE_ID}/bench/${i}`, pageId: ONCALL_PAGE_ID, localId: 'bench', postmortemTitle: 'Bench postmortem', pageUrl: `${site.baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`, incidentKey: null, createdAt: now },
      },
      comments: [],
      remoteLinks: [],
    });
  }
}

async function benchFollowUps(open: number, due: number, latencyMs: number): Promise<Record<string, string | number>> {
  // A Tuesday, so that the business-day rule lets the run happen.
  const site = new LocalSite({ stateFile: null, contract: 'off', startAt: new Date('2026-11-03T08:00:00Z') }).install();
  seedOpenItems(site, open, due);
  site.log.clear();
  site.faults.latencyMs = latencyMs;
  const started = Date.now();
  await site.runScheduledTrigger('pft-daily-follow-up');
  await site.drainQueue();
  const ms = Date.now() - started;
  const product = site.log.entries.filter((e) => e.product === 'jira' || e.product === 'confluence');
  const comments = site.state.jira.issues.reduce((n, i) => n + i.comments.length, 0);
  const runs = site.invocations.filter((i) => i.kind === 'trigger' || i.kind === 'consumer');
  const longest = Math.max(...runs.map((r) => r.ms));
  site.close();
  return {
    'open items': open,
    due,
    'latency ms': latencyMs,
    'comments posted': comments,
    'REST calls': product.length,
    'searches': product.filter((e) => e.endpoint === '/rest/api/3/search/jql').length,
    'function runs': runs.length,
    'longest run ms': longest,
    'of the 900 s limit': `${((longest / 900_000) * 100).toFixed(2)} %`,
    'wall ms': ms,
  };
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'create') {
    const rows: Record<string, string | number>[] = [];
    for (const latency of [0, 100]) {
      for (const n of [1, 50, 120]) rows.push(await benchCreateIssues(n, latency));
    }
    console.log('\nCreate Jira issues for N accepted action items (local site, REST calls counted per request)');
    console.table(rows);
  }
  if (!only || only === 'follow-ups') {
    const rows = [await benchFollowUps(10_000, 1_000, 0), await benchFollowUps(10_000, 1_000, 100)];
    console.log('\nDaily follow-up run: 10,000 open action items, 1,000 due (JQL filters; queue fan-out of 25 items per event)');
    console.table(rows);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
