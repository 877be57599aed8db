/**
 * Test helpers: a seeded site state and a router over the Jira routes with a stand-in JQL engine
 * (the real one lives in local-site/jira/jql and is wired in by the site).
 */
import { Router } from '../http/router';
import type { Actor, SiteResponse } from '../http/types';
import type { JiraIssue, SiteState } from '../state/types';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID, seedUsers } from '../state/users';
import { jiraRoutes } from './routes';
import type { JiraIssueEvent, JqlEngine } from './routes';
import { seedJira } from './seed';

export const TEST_NOW = new Date('2026-11-20T14:03:11.123Z');

export function testState(now: Date = TEST_NOW): SiteState {
  return {
    schemaVersion: 1,
    clockOffsetMs: 0,
    users: seedUsers(),
    jira: seedJira(now),
    confluence: { spaces: [], pages: [], counters: { spaceId: 0, pageId: 0, propertyId: 0, labelId: 0 } },
    platform: { kvs: { values: {}, secrets: {}, entities: {} }, consentedUsers: [], queue: [], lastTriggerRun: {}, outbox: [] },
  };
}

/**
 * A tiny JQL stand-in: understands `project = KEY` (optional), orders by issue id, and rejects any
 * query containing `!!` the way the real engine rejects bad JQL.
 */
export const stubJql: JqlEngine = (jql) => {
  if (jql.includes('!!')) {
    throw Object.assign(new Error('bad jql'), { errorMessages: [`Error in the JQL Query: The character '!' is a reserved JQL character.`] });
  }
  const m = /project\s*=\s*"?(\w+)"?/i.exec(jql);
  const key = m?.[1].toUpperCase();
  return {
    matches: (i: JiraIssue) => !key || i.key.startsWith(`${key}-`),
    compare: (a: JiraIssue, b: JiraIssue) => Number(a.id) - Number(b.id),
  };
};

export const as = {
  admin: { kind: 'user', accountId: ADMIN_ID } as Actor,
  editor: { kind: 'user', accountId: EDITOR_ID } as Actor,
  viewer: { kind: 'user', accountId: VIEWER_ID } as Actor,
  app: { kind: 'app' } as Actor,
};

export interface TestSite {
  state: SiteState;
  events: JiraIssueEvent[];
  call(actor: Actor, method: string, path: string, body?: unknown, query?: Record<string, string | string[]>): Promise<SiteResponse>;
}

export function testSite(jql: JqlEngine = stubJql, now: Date = TEST_NOW): TestSite {
  const state = testState(now);
  const events: JiraIssueEvent[] = [];
  const router = new Router(jiraRoutes({ jql, users: () => state.users, onIssueEvent: (e) => events.push(e) }));
  return {
    state,
    events,
    async call(actor, method, path, body, query = {}) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
      const res = await router.handle({ method, path: `/rest/api/3${path}`, query: params, headers: {}, body, actor }, state, () => now);
      if (!res) throw new Error(`No route for ${method} ${path}`);
      return res;
    },
  };
}
