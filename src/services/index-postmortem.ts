/**
 * Index a postmortem: the use case every writer of a postmortem ends with (save, create issues, publish, the
 * incident's *Create postmortem*). The index entry needs the page's space key; v2 pages carry only the space id,
 * so the key is looked up once and kept with the entry beside that id: a later index of the page in the same space
 * reuses it (one Confluence call less per save and per create run), a page moved to another space looks it up again.
 */
import type { ConfluenceClient, PageSummary } from '../atlassian/confluence';
import type { Postmortem } from '../contract/postmortem';
import type { PostmortemIndexEntry } from '../domain/postmortem-index';
import { getIndexEntry, upsertIndexEntry } from '../store/postmortem-index';

/** Indexes the postmortem stored on this page, looking up the page's space. */
export async function indexPostmortem(confluence: ConfluenceClient, pageId: string, localId: string, postmortem: Postmortem, knownPage?: PageSummary): Promise<PostmortemIndexEntry> {
  // The page as read earlier in the same invocation, when there is one (its space is what matters here).
  const page = knownPage ?? (await confluence.getPage(pageId));
  const existing = await getIndexEntry(pageId, localId);
  const spaceKey = existing?.spaceId === page.spaceId && existing.spaceKey ? existing.spaceKey : (await confluence.getSpace(page.spaceId)).key;
  return upsertIndexEntry({ pageId, localId, spaceKey, spaceId: page.spaceId, postmortem, now: new Date().toISOString() }, { existing });
}
