/**
 * The weekly digest's entries: one `digest-entry` entity per published postmortem (keyed by page and macro,
 * so that writing it again changes nothing), indexed by the week it was published in.
 */
import { kvs, Sort } from '@forge/kvs';
import { indexKey } from '../domain/postmortem-index';
import { DIGEST_ENTRY, stamp, upgradeRecord } from '../domain/storage-schema';

const ENTITY = 'digest-entry';

export interface DigestEntry {
  /** 2026-W47, in the site's time zone when it was published. */
  week: string;
  publishedAt: string;
  pageId: string;
  localId: string;
  title: string;
  severity: string;
  /** '' when none (index attributes must be present). */
  incidentKey: string;
  ownerName: string;
  pageUrl: string;
}

export async function putDigestEntry(entry: DigestEntry): Promise<void> {
  await kvs.entity<DigestEntry>(ENTITY).set(indexKey(entry.pageId, entry.localId), stamp(DIGEST_ENTRY, entry));
}

/** Every entry of a week, oldest first. */
export async function digestEntries(week: string): Promise<DigestEntry[]> {
  const out: DigestEntry[] = [];
  let cursor: string | undefined;
  do {
    let query = kvs.entity<DigestEntry>(ENTITY).query().index('by-week', { partition: [week] }).sort(Sort.ASC).limit(100);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    out.push(...page.results.map((r) => upgradeRecord<DigestEntry>(DIGEST_ENTRY, r.value)));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
