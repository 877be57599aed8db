/**
 * The app under the platform's rules for background work and time: "Create all" for many items goes to the
 * queue, whose consumer has no user — the resolver checks the clicking user's rights and the consumer creates
 * as the app with that user as reporter; queue events run side by side and still create each issue once; a
 * UI resolver's retries stop, with a plain message, when another try cannot end before its 25 s.
 */
import type { ActionItem } from '../../src/contract/postmortem';
import { INLINE_ITEMS } from '../../src/resolvers/postmortem-macro';
import { useLocalSite } from './support/site';
import { macroDriver, value } from '../support/ui-driver';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';

const site = useLocalSite();
const LOCAL_ID = 'aaaaaaaa-0000-4000-8000-0000000000b1';

const call = macroDriver(site, LOCAL_ID, ONCALL_PAGE_ID);
const item = (i: number): ActionItem => ({ id: `item-${i}`, title: `Action item ${i}`, description: '', owner: null, effort: 'low', impact: 'medium', dueDate: null, state: 'accepted' });
const actionIssues = () => site().state.jira.issues.filter((i) => i.properties['postmortem-action-item']);

async function postmortemWith(items: ActionItem[]): Promise<void> {
  const loaded = value(await call(EDITOR_ID, 'loadPostmortem'));
  const pm = { ...loaded.postmortem, title: 'Checkout latency', incidentKey: 'INC-1', actionItems: items };
  const saved = value(await call(EDITOR_ID, 'savePostmortem', { postmortem: pm, base: loaded.postmortem, baseVersion: loaded.version }));
  if (saved.kind !== 'saved') throw new Error('save failed');
}

it('creates in the background as the app, with the clicking user as reporter, each issue once although events run side by side', async () => {
  const s = site();
  const n = 3 * 50 + 7;
  expect(n).toBeGreaterThan(INLINE_ITEMS);
  await postmortemWith(Array.from({ length: n }, (_, i) => item(i)));
  s.log.clear();
  // Two clicks before anything ran: two runs, whose events the site delivers in parallel lanes.
  const [first, second] = [value(await call(EDITOR_ID, 'createIssues', {})), value(await call(EDITOR_ID, 'createIssues', {}))];
  expect([first.status, second.status]).toEqual(['running', 'running']);
  expect(s.queueConcurrency).toBeGreaterThan(1);
  await s.drainQueue();

  const issues = actionIssues();
  expect(issues).toHaveLength(n);
  expect(new Set(issues.map((i) => (i.properties['postmortem-action-item'] as { itemId: string }).itemId)).size).toBe(n);
  expect(issues.every((i) => i.reporterId === EDITOR_ID)).toBe(true);
  // Everything the consumer sent went as the app: no user context exists there.
  const consumerWrites = s.log.entries.filter((e) => e.endpoint === '/rest/api/3/issue/bulk');
  expect(consumerWrites.length).toBeGreaterThan(0);
  expect(consumerWrites.every((e) => e.actor === 'app')).toBe(true);
  const runs = [value(await call(EDITOR_ID, 'getCreateRun', { runId: first.runId })), value(await call(EDITOR_ID, 'getCreateRun', { runId: second.runId }))];
  expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
});

it('checks in the resolver that the clicking user may create issues in the project, and queues nothing when not', async () => {
  const s = site();
  await postmortemWith(Array.from({ length: INLINE_ITEMS + 1 }, (_, i) => item(i)));
  // The editor loses Create Issues in OPS (browse only) but can still edit the page.
  const ops = s.state.jira.projects.find((p) => p.key === 'OPS')!;
  ops.access[EDITOR_ID] = 'read';
  const refused = await call(EDITOR_ID, 'createIssues', {});
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('OPS') } });
  expect(s.state.platform.queue).toHaveLength(0);
  expect(actionIssues()).toHaveLength(0);
});

it('stops retrying a busy Jira when another try cannot end within the resolver’s 25 s, with a plain message', async () => {
  const s = site();
  // Jira asks for 15 s between tries, every time: a first retry fits in 25 s, a second does not.
  s.addFault({ product: 'jira', path: '/rest/api/3/mypermissions', kind: 'rate-limit', retryAfterSeconds: 15 });
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    let outcome: PromiseSettledResult<unknown> | undefined;
    void s.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: ADMIN_ID }).then(
      (value) => (outcome = { status: 'fulfilled', value }),
      (reason: unknown) => (outcome = { status: 'rejected', reason }),
    );
    for (let t = 0; t < 30_000 && !outcome; t += 250) {
      await jest.advanceTimersByTimeAsync(250);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(outcome).toEqual({ status: 'fulfilled', value: { ok: false, error: { code: 'upstream', message: expect.stringMatching(/busy.*Try again/) } } });
    expect(s.log.count({ endpoint: '/rest/api/3/mypermissions' })).toBe(2);
  } finally {
    jest.useRealTimers();
  }
});
