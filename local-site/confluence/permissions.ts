/**
 * Confluence's permission model, reduced to what the site stores: a per-space access level per
 * user, plus an optional per-page edit restriction. Site admins are admins of every space; the app
 * (asApp) may do everything. Confluence answers 404 when the caller cannot view something.
 */
import type { AccessLevel, ConfluencePage, ConfluenceSpace, SiteState } from '../state/types';
import type { Actor } from '../http/types';

/** The account the app acts as (its "bot" user) when it writes with asApp. */
export const APP_ACCOUNT_ID = '557058:forge-app-postmortem-follow-through';

export function actorAccountId(actor: Actor): string {
  return actor.kind === 'app' ? APP_ACCOUNT_ID : actor.accountId;
}

/** The caller's access to the space, or null when they cannot see it at all. */
export function spaceAccess(state: SiteState, actor: Actor, space: ConfluenceSpace): AccessLevel | null {
  if (actor.kind === 'app') return 'admin';
  const user = state.users.find((u) => u.accountId === actor.accountId);
  if (!user) return null;
  if (user.siteAdmin) return 'admin';
  return space.access[actor.accountId] ?? null;
}

export function canViewSpace(state: SiteState, actor: Actor, space: ConfluenceSpace): boolean {
  return spaceAccess(state, actor, space) !== null;
}

/** Create pages (and other content) in the space. */
export function canWriteSpace(state: SiteState, actor: Actor, space: ConfluenceSpace): boolean {
  const access = spaceAccess(state, actor, space);
  return access === 'write' || access === 'admin';
}

function spaceOf(state: SiteState, page: ConfluencePage): ConfluenceSpace | undefined {
  return state.confluence.spaces.find((s) => s.id === page.spaceId);
}

/** View the page: view access to its space; an unpublished draft only for its author (and the app). */
export function canViewPage(state: SiteState, actor: Actor, page: ConfluencePage): boolean {
  const space = spaceOf(state, page);
  if (!space || !canViewSpace(state, actor, space)) return false;
  if (page.status === 'draft' && actor.kind === 'user' && page.authorId !== actor.accountId) return false;
  if (page.viewRestrictedTo && actor.kind === 'user' && !page.viewRestrictedTo.includes(actor.accountId)) return false;
  return true;
}

/** Edit the page: view it, write access to the space, and pass the page's edit restriction (space admins always do). */
export function canEditPage(state: SiteState, actor: Actor, page: ConfluencePage): boolean {
  if (!canViewPage(state, actor, page)) return false;
  if (actor.kind === 'app') return true;
  const space = spaceOf(state, page);
  if (!space) return false;
  const access = spaceAccess(state, actor, space);
  if (access === 'admin') return true;
  if (access !== 'write') return false;
  return page.editRestrictedTo === null || page.editRestrictedTo.includes(actor.accountId);
}

/** Purging from the trash needs space admin. */
export function canAdministerSpace(state: SiteState, actor: Actor, space: ConfluenceSpace): boolean {
  return spaceAccess(state, actor, space) === 'admin';
}
