/**
 * Progress of publishing one postmortem, step by step, in Forge storage: a retry after a crash or a failed
 * step skips what is recorded as done and finishes the rest, so no side effect happens twice.
 */
import { kvs } from '@forge/kvs';
import type { PublishRun } from '../contract/publish';
import { PUBLISH_RUN, stamp, upgradeRecord } from '../domain/storage-schema';

const key = (pageId: string, localId: string) => `publish-run:${pageId}:${localId}`;

export async function loadPublishRun(pageId: string, localId: string): Promise<PublishRun | undefined> {
  const stored = await kvs.get<unknown>(key(pageId, localId));
  return stored ? upgradeRecord<PublishRun>(PUBLISH_RUN, stored) : undefined;
}

export async function savePublishRun(run: PublishRun): Promise<void> {
  await kvs.set(key(run.pageId, run.localId), stamp(PUBLISH_RUN, run));
}
