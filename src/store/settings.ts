/** Where the app's settings live: one KVS key, plus a `settings-change` entity per save (the audit trail). */
import { kvs, Sort } from '@forge/kvs';
import type { AppSettings } from '../contract/settings';
import { withDefaults } from '../domain/settings';

const SETTINGS_KEY = 'settings:v1';
const CHANGE_ENTITY = 'settings-change';

export interface SettingsChange { changedAt: string; accountId: string; summary: string }

export async function loadSettings(): Promise<AppSettings> {
  return withDefaults(await kvs.get<Partial<AppSettings>>(SETTINGS_KEY));
}

export async function storeSettings(settings: AppSettings, change: SettingsChange): Promise<void> {
  // One transaction: the settings and their audit entry are written together or not at all.
  await kvs
    .transact()
    .set(SETTINGS_KEY, settings)
    .set(`${change.changedAt}:${change.accountId}`, change, { entityName: CHANGE_ENTITY })
    .execute();
}

export async function lastSettingsChange(): Promise<SettingsChange | undefined> {
  const found = await kvs.entity<SettingsChange>(CHANGE_ENTITY).query().index('by-time').sort(Sort.DESC).limit(1).getOne();
  return found?.value;
}
