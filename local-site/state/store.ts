/** Seeding and persisting the site's state (a JSON file, so that `npm start` keeps data across restarts). */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteState } from './types';
import { seedClosedAccounts, seedConsent, seedUsers } from './users';
import { seedJira } from '../jira/seed';
import { seedConfluence } from '../confluence/seed';

/** Bump when the seed or the state shape changes: older files are then replaced by a fresh seed. */
export const SCHEMA_VERSION = 2;

export function seedState(now: Date): SiteState {
  return {
    schemaVersion: SCHEMA_VERSION,
    clockOffsetMs: 0,
    users: seedUsers(),
    jira: seedJira(now),
    confluence: seedConfluence(now),
    platform: {
      kvs: { values: {}, secrets: {}, entities: {} },
      consentedUsers: seedConsent(),
      queue: [],
      lastTriggerRun: {},
      outbox: [],
    },
    closedAccounts: seedClosedAccounts(now),
  };
}

/** The saved state, or undefined when there is none or it is from an older schema. */
export function loadState(file: string): SiteState | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SiteState;
    return state.schemaVersion === SCHEMA_VERSION ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Atomic write (temp file + rename), so a crash mid-save never leaves a half-written state. */
export function saveState(file: string, state: SiteState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}
