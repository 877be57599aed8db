/**
 * Seeds the app's postmortem index with N postmortems for the bench (through the app's own store, inside a
 * platform invocation, so the KVS holds exactly what saves would have written), spread over the ENG pages.
 */
import type { LocalSite } from '../local-site/site';
import { CATALOGUE_PAGE_ID, ENG_HOME_ID, ONCALL_PAGE_ID } from '../local-site/confluence/seed';
import type { IndexPage } from '../src/contract/postmortem-index';
import type { Result } from '../src/contract/result';
import { SEVERITIES } from '../src/contract/postmortem';
import { newPostmortem } from '../src/domain/postmortem-defaults';
import { upsertIndexEntry } from '../src/store/postmortem-index';

const PAGES = [ENG_HOME_ID, ONCALL_PAGE_ID, CATALOGUE_PAGE_ID];

export interface SeededIndex {
  firstPage: (accountId: string) => Promise<string>;
  /** One page-visibility lookup and one Jira search for the page's action items. */
  minimumCalls: number;
}

export async function seedPostmortemIndex(site: LocalSite, n: number): Promise<SeededIndex> {
  const start = Date.parse('2026-01-05T09:00:00Z');
  await site.asInvocation(undefined, async () => {
    for (let i = 0; i < n; i += 1) {
      const detected = new Date(start + i * 6 * 3_600_000).toISOString();
      const resolved = new Date(start + i * 6 * 3_600_000 + (30 + (i % 90)) * 60_000).toISOString();
      const pm = newPostmortem({ title: `Incident ${i}`, severity: SEVERITIES[i % 4], actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', detectedAt: detected, resolvedAt: resolved });
      pm.tags = [`service-${i % 12}`];
      await upsertIndexEntry({ pageId: PAGES[i % PAGES.length], localId: `bench-${i}`, spaceKey: 'ENG', postmortem: pm, now: resolved });
    }
  });
  return {
    minimumCalls: 2,
    async firstPage(accountId: string) {
      const r = (await site.invokeUi('pft-postmortem-index', { functionKey: 'getIndexPage', payload: {} }, { accountId })) as Result<IndexPage>;
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return `${r.value.rows.length} rows, more: ${r.value.nextPageToken ? 'yes' : 'no'}`;
    },
  };
}
