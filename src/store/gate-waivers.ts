/**
 * Waivers of the workflow gate (src/domain/workflow-gate.ts): one per incident, written only by the incident
 * resolver after Jira confirmed the caller is a Jira administrator. The validator and the index read them here,
 * never from the issue (issue properties are writable by anyone who can edit the issue).
 */
import { kvs } from '@forge/kvs';
import type { GateWaiver } from '../domain/workflow-gate';
import { keyPart } from './storage-keys';

const key = (issueKey: string) => `gate-waiver:${keyPart(issueKey)}`;

export async function loadWaiver(issueKey: string): Promise<GateWaiver | undefined> {
  const found = await kvs.get<GateWaiver>(key(issueKey));
  // The key is a hash: keep only a record that is about this very incident.
  return found && found.issueKey === issueKey ? found : undefined;
}

/** Records the waiver unless one exists already: the first admin's reason stands, a double click writes nothing twice. */
export async function recordWaiver(waiver: GateWaiver): Promise<GateWaiver> {
  const existing = await loadWaiver(waiver.issueKey);
  if (existing) return existing;
  await kvs.set(key(waiver.issueKey), waiver);
  return waiver;
}

/** Keys one KVS batch read takes (at most 25, as app-issues.ts and local-site/platform/kvs enforce). */
const BATCH = 25;

/** The waivers of these incidents (for the index), by issue key: one batch read per 25 incidents. */
export async function loadWaivers(issueKeys: string[]): Promise<Map<string, GateWaiver>> {
  const unique = [...new Set(issueKeys.filter(Boolean))];
  const out = new Map<string, GateWaiver>();
  for (let i = 0; i < unique.length; i += BATCH) {
    const got = await kvs.batchGet<GateWaiver>(unique.slice(i, i + BATCH).map((k) => ({ key: key(k) })));
    for (const r of got.successfulKeys) if (r.value?.issueKey && unique.includes(r.value.issueKey)) out.set(r.value.issueKey, r.value);
  }
  return out;
}
