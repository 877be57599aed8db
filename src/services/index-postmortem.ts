/**
 * Index a postmortem: the use case every writer of a postmortem ends with (save, create issues, publish, the
 * incident's *Create postmortem*). The index entry needs the page's space key; v2 pages carry only the space id.
 */
import type { ConfluenceClient, PageSummary } from '../atlassian/confluence';
import type { Postmortem } from '../contract/postmortem';
import type { PostmortemIndexEntry } from '../domain/postmortem-index';
import { upsertIndexEntry } from '../store/postmortem-index';

/** Indexes the postmortem stored on this page, looking up the page's space. */
export async function indexPostmortem(confluence: ConfluenceClient, pageId: string, localId: string, postmortem: Postmortem, knownPage?: PageSummary): Promise<PostmortemIndexEntry> {
  // The page as read earlier in the same invocation, when there is one (its space is what matters here).
  const page = knownPage ?? (await confluence.getPage(pageId));
  const space = await confluence.getSpace(page.spaceId);
  return upsertIndexEntry({ pageId, localId, spaceKey: space.key, postmortem, now: new Date().toISOString() });
}
