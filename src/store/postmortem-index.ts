/**
 * The app's index of postmortems: one `postmortem` entity per macro (page + localId), updated on every
 * save. The central index, the report and the follow-up jobs read it instead of every page.
 */
import { kvs, Sort } from '@forge/kvs';
import type { Postmortem } from '../contract/postmortem';
import { actionItemCounts } from '../domain/postmortem';

const ENTITY = 'postmortem';

export interface PostmortemIndexEntry {
  pageId: string;
  localId: string;
  spaceKey: string;
  title: string;
  status: string;
  severity: string;
  /** '' when the postmortem names no incident (index attributes must be present to be indexed). */
  incidentKey: string;
  ownerAccountId: string;
  reviewMeetingAt: string;
  createdAt: string;
  updatedAt: string;
  proposed: number;
  accepted: number;
  dropped: number;
  withIssue: number;
  tags: string;
}

export const indexKey = (pageId: string, localId: string) => `${pageId}:${localId}`;

export async function upsertIndexEntry(input: { pageId: string; localId: string; spaceKey: string; postmortem: Postmortem; now: string }): Promise<PostmortemIndexEntry> {
  const key = indexKey(input.pageId, input.localId);
  const existing = await kvs.entity<PostmortemIndexEntry>(ENTITY).get(key);
  const pm = input.postmortem;
  const counts = actionItemCounts(pm);
  const entry: PostmortemIndexEntry = {
    pageId: input.pageId,
    localId: input.localId,
    spaceKey: input.spaceKey,
    title: pm.title,
    status: pm.status,
    severity: pm.severity,
    incidentKey: pm.incidentKey ?? '',
    ownerAccountId: pm.incidentOwner?.kind === 'user' ? pm.incidentOwner.id : '',
    reviewMeetingAt: pm.reviewMeetingAt ?? '',
    createdAt: existing?.createdAt ?? input.now,
    updatedAt: input.now,
    proposed: counts.proposed,
    accepted: counts.accepted,
    dropped: counts.dropped,
    withIssue: counts.withIssue,
    tags: pm.tags.join(','),
  };
  await kvs.entity<PostmortemIndexEntry>(ENTITY).set(key, entry);
  return entry;
}

/** Postmortems registered for an incident, newest first. */
export async function findByIncident(incidentKey: string): Promise<PostmortemIndexEntry[]> {
  const out = await kvs.entity<PostmortemIndexEntry>(ENTITY).query().index('by-incident', { partition: [incidentKey] }).sort(Sort.DESC).limit(20).getMany();
  return out.results.map((r) => r.value);
}
