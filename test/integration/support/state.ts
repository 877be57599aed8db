/**
 * What a resolver call can change on the local site, as one comparable string: Jira's issues and links,
 * Confluence, the app's storage and its queue. Left out: the app's copy of Jira's default priority
 * (`jira:default-priority`, src/services/default-priority.ts), which any read may refresh from what Jira
 * answers — it records nothing a person did or sent.
 */
import type { LocalSite } from '../../../local-site/site';

const CACHES = new Set(['jira:default-priority']);

export function changeableState(s: LocalSite): string {
  const { values, ...kvs } = s.state.platform.kvs;
  const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !CACHES.has(key)));
  return JSON.stringify([s.state.jira.issues, s.state.jira.issueLinks, s.state.confluence, { ...kvs, values: kept }, s.state.platform.queue]);
}
