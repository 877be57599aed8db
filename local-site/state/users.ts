import type { SiteUser } from './types';

/** The people of the seeded site. The viewer may read but not edit, and cannot see the SEC project. */
export const ADMIN_ID = '557058:avery-admin';
export const EDITOR_ID = '557058:eden-editor';
export const VIEWER_ID = '557058:vic-viewer';
/** Edits like Eden, but has not yet allowed the app to act for them (Forge's "Allow access"): see `consentedUsers`. */
export const NEWCOMER_ID = '557058:nia-newcomer';

/**
 * Personal data (issue 17). Sam is a person of the demo postmortems who changes her name after they are written
 * (local-site/demo/postmortems.ts): the app is told `updated`. Robin left the company: her account is closed at
 * the seed (gone from the people, reported `closed`), while the demo postmortems still name her as they were
 * written before she left.
 */
export const RENAMED_ID = '557058:sam-rivera';
export const CLOSED_ID = '557058:robin-roe';
export const CLOSED_PROFILE = { displayName: 'Robin Roe', emailAddress: 'robin.roe@example.com' };

export function seedClosedAccounts(now: Date): { accountId: string; closedAt: string }[] {
  return [{ accountId: CLOSED_ID, closedAt: now.toISOString() }];
}

export function seedUsers(): SiteUser[] {
  return [
    { accountId: ADMIN_ID, displayName: 'Avery Admin', emailAddress: 'avery@example.com', timeZone: 'Europe/Berlin', siteAdmin: true },
    { accountId: EDITOR_ID, displayName: 'Eden Editor', emailAddress: 'eden@example.com', timeZone: 'America/New_York', siteAdmin: false },
    { accountId: VIEWER_ID, displayName: 'Vic Viewer', emailAddress: 'vic@example.com', timeZone: 'Asia/Tokyo', siteAdmin: false },
    { accountId: NEWCOMER_ID, displayName: 'Nia Newcomer', emailAddress: 'nia@example.com', timeZone: 'Europe/Lisbon', siteAdmin: false },
    { accountId: RENAMED_ID, displayName: 'Sam Rivera', emailAddress: 'sam@example.com', timeZone: 'Europe/Dublin', siteAdmin: false },
  ];
}

/** Who has allowed the app to act for them at the seed: everyone but the newcomer. */
export function seedConsent(): string[] {
  return [ADMIN_ID, EDITOR_ID, VIEWER_ID];
}
