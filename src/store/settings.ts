/**
 * Where the app's settings live: one KVS key, plus a `settings-change` entity per save (the audit trail).
 *
 * The SMTP password is a Forge storage secret (encrypted, readable only by the app's backend). Each password
 * set gets a fresh secret key, and the settings point at it through a plain KVS value (`SMTP_PASSWORD_REF`)
 * written in the same transaction as the settings and the audit entry: a save switches user name and password
 * together or not at all. The secret a save replaced is deleted after that transaction.
 */
import { randomUUID } from 'node:crypto';
import { kvs, Sort } from '@forge/kvs';
import type { AppSettings, SmtpPasswordChange } from '../contract/settings';
import { withDefaults } from '../domain/settings';
import { PASSWORD_REF, SETTINGS, SETTINGS_CHANGE, stamp, upgradeRecord } from '../domain/storage-schema';

const SETTINGS_KEY = 'settings:v1';
const SMTP_PASSWORD_REF = 'settings:smtp-password-ref';
const CHANGE_ENTITY = 'settings-change';

export interface SettingsChange { changedAt: string; accountId: string; summary: string }
interface PasswordRef { secretKey: string; setAt: string }

export async function loadSettings(): Promise<AppSettings> {
  const stored = await kvs.get<unknown>(SETTINGS_KEY);
  return withDefaults(stored ? upgradeRecord<Partial<AppSettings>>(SETTINGS, stored) : undefined);
}

/** Whether an SMTP password is stored (without reading it). */
export async function smtpPasswordStored(): Promise<boolean> {
  return Boolean(await passwordRef());
}

/** The stored SMTP password, read when an email is sent; undefined when none is stored. */
export async function readSmtpPassword(): Promise<string | undefined> {
  const ref = await passwordRef();
  return ref ? kvs.getSecret<string>(ref.secretKey) : undefined;
}

export async function storeSettings(settings: AppSettings, change: SettingsChange, password?: SmtpPasswordChange): Promise<void> {
  const previous = password ? await passwordRef() : undefined;
  const secretKey = password && 'set' in password ? `smtp-password:${randomUUID()}` : undefined;
  if (secretKey) await kvs.setSecret(secretKey, (password as { set: string }).set);
  // One transaction: the settings, which password they use, and their audit entry are written together or not at all.
  const tx = kvs
    .transact()
    .set(SETTINGS_KEY, stamp(SETTINGS, settings))
    .set(`${change.changedAt}:${change.accountId}`, stamp(SETTINGS_CHANGE, change), { entityName: CHANGE_ENTITY });
  if (secretKey) tx.set<PasswordRef>(SMTP_PASSWORD_REF, stamp(PASSWORD_REF, { secretKey, setAt: change.changedAt }));
  else if (password && previous) tx.delete(SMTP_PASSWORD_REF);
  try {
    await tx.execute();
  } catch (e) {
    // Nothing points at the new secret: remove it, so a refused save leaves no password behind.
    if (secretKey) await kvs.deleteSecret(secretKey).catch(() => undefined);
    throw e;
  }
  if (password && previous) {
    await kvs.deleteSecret(previous.secretKey).catch((e: unknown) => console.warn('The replaced SMTP password could not be deleted; nothing refers to it any more', (e as Error).message));
  }
}

export async function lastSettingsChange(): Promise<SettingsChange | undefined> {
  const found = await kvs.entity<SettingsChange>(CHANGE_ENTITY).query().index('by-time').sort(Sort.DESC).limit(1).getOne();
  return found ? upgradeRecord<SettingsChange>(SETTINGS_CHANGE, found.value) : undefined;
}

async function passwordRef(): Promise<PasswordRef | undefined> {
  const stored = await kvs.get<unknown>(SMTP_PASSWORD_REF);
  return stored ? upgradeRecord<PasswordRef>(PASSWORD_REF, stored) : undefined;
}
