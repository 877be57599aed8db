/**
 * The postmortem document itself lives with its page, as a Confluence page property (one per macro), so
 * that Confluence's page permissions decide who reads and writes it. This module reads it and applies
 * small, targeted updates (such as recording issue keys) on top of whatever version is current.
 */
import type { Postmortem } from '../contract/postmortem';
import { ConfluenceClient, isConflict, type PageProperty, type PageSummary } from '../atlassian/confluence';
import { upgradeDocument } from '../domain/storage-schema';

/** The page property that holds one macro's postmortem. */
export const propertyKey = (localId: string) => `pft-postmortem-${localId}`;

export async function readPostmortem(confluence: ConfluenceClient, pageId: string, localId: string): Promise<PageProperty<Postmortem> | undefined> {
  return currentDocument(await confluence.findProperty<Postmortem>(pageId, propertyKey(localId)));
}

/** The page and the postmortem stored on it, in one Confluence request. */
export async function readPageAndPostmortem(confluence: ConfluenceClient, pageId: string, localId: string): Promise<{ page: PageSummary; stored: PageProperty<Postmortem> | undefined }> {
  const { page, property } = await confluence.getPageWithProperty<Postmortem>(pageId, propertyKey(localId));
  return { page, stored: currentDocument(property) };
}

/**
 * Every read of a postmortem document goes through this: a document of an older format reads as today's, one
 * from a newer release is refused (NewerSchemaError), never edited (src/domain/storage-schema.ts).
 */
export function currentDocument<P extends PageProperty<Postmortem> | undefined>(property: P): P {
  return (property ? { ...property, value: upgradeDocument<Postmortem>(property.value) } : property);
}

/**
 * Applies `change` to the current version and writes it, re-reading and re-applying on a version clash, so
 * concurrent edits by people are kept. Returns the stored property.
 */
export async function updatePostmortem(
  confluence: ConfluenceClient,
  pageId: string,
  localId: string,
  change: (current: Postmortem) => Postmortem,
  attempts = 5,
  /** The property as this invocation last read it: the first write tries it (no re-read); a clash reads afresh. */
  known?: PageProperty<Postmortem>,
): Promise<PageProperty<Postmortem>> {
  for (let i = 0; i < attempts; i += 1) {
    const current = i === 0 && known ? known : await readPostmortem(confluence, pageId, localId);
    if (!current) throw new Error(`No postmortem stored for macro ${localId} on page ${pageId}`);
    try {
      return await confluence.updateProperty(pageId, current, change(current.value), current.version.number + 1);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  throw new Error('The postmortem kept changing while the app tried to record its update; it will be retried.');
}
