import type { SiteUser } from './types';

/** The three people of the seeded site. The viewer may read but not edit, and cannot see the SEC project. */
export const ADMIN_ID = '557058:avery-admin';
export const EDITOR_ID = '557058:eden-editor';
export const VIEWER_ID = '557058:vic-viewer';

export function seedUsers(): SiteUser[] {
  return [
    { accountId: ADMIN_ID, displayName: 'Avery Admin', emailAddress: 'avery@example.com', timeZone: 'Europe/Berlin', siteAdmin: true },
    { accountId: EDITOR_ID, displayName: 'Eden Editor', emailAddress: 'eden@example.com', timeZone: 'America/New_York', siteAdmin: false },
    { accountId: VIEWER_ID, displayName: 'Vic Viewer', emailAddress: 'vic@example.com', timeZone: 'Asia/Tokyo', siteAdmin: false },
  ];
}
