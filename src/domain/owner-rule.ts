/**
 * Who may change a postmortem's incident owner. Publishing a Reviewed postmortem is the owner's; so once the
 * postmortem is In review or later, only the current owner or an admin may name another owner (else an editor
 * could name themselves and publish). Each such change is kept in the postmortem's history. Pure.
 */
import type { ActionItemOwner, OwnerChange, Postmortem } from '../contract/postmortem';

const LOCKED: Postmortem['status'][] = ['in-review', 'reviewed', 'published'];
/** History entries kept (oldest dropped first). */
const MAX_CHANGES = 100;

export function sameOwner(a: ActionItemOwner | null, b: ActionItemOwner | null): boolean {
  return (a?.kind ?? null) === (b?.kind ?? null) && (a?.id.trim().toLowerCase() ?? null) === (b?.id.trim().toLowerCase() ?? null);
}

/** Whether this save changes the owner of a postmortem whose owner is protected (in review or later). */
export function isProtectedOwnerChange(stored: Postmortem | undefined, next: Postmortem): boolean {
  return !!stored && LOCKED.includes(stored.status) && !sameOwner(stored.incidentOwner, next.incidentOwner);
}

/** Why this person may not change the owner (undefined: they may). */
export function ownerChangeRefusal(stored: Postmortem, who: { accountId: string; isAdmin: boolean }): string | undefined {
  const owner = stored.incidentOwner;
  if (who.isAdmin) return undefined;
  // No owner yet: naming one takes nothing from anyone (without an owner, any editor may publish).
  if (!owner) return undefined;
  if (owner?.kind === 'user' && owner.id === who.accountId) return undefined;
  return `Once a postmortem is ${stored.status === 'in-review' ? 'in review' : stored.status}, only its incident owner${owner ? ` (${owner.displayName || owner.id})` : ''} or an admin can name another owner.`;
}

export function withOwnerChange(history: OwnerChange[] | undefined, change: OwnerChange): OwnerChange[] {
  return [...(history ?? []), change].slice(-MAX_CHANGES);
}
