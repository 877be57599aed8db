/**
 * The stored SMTP password belongs to one server: a save that points the settings at another host or port
 * clears it, unless a new password is entered in the same save. Otherwise the next email would hand the old
 * password to whatever server the new host is (the login is sent to it). Pure.
 */
import type { AppSettings, SmtpPasswordChange } from '../contract/settings';

export function effectivePasswordChange(before: Pick<AppSettings, 'smtpHost' | 'smtpPort'>, next: Pick<AppSettings, 'smtpHost' | 'smtpPort'>, requested: SmtpPasswordChange | undefined, passwordStored: boolean): SmtpPasswordChange | undefined {
  if (requested && 'set' in requested) return requested;
  const moved = before.smtpHost.trim().toLowerCase() !== next.smtpHost.trim().toLowerCase() || before.smtpPort !== next.smtpPort;
  if (moved && passwordStored) return { clear: true };
  return requested;
}
