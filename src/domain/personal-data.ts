/**
 * Personal data in a postmortem document, and the rules that erase or refresh it (pure).
 *
 * A postmortem names people by Atlassian account id with the display name seen when it was saved (incident
 * owner, attendees, stakeholders, action-item owners, the owner-change history), by an email address typed as
 * an owner that Jira had not yet matched to an account, and by name alone as the author of a pasted chat line.
 * Atlassian asks apps to erase what they keep about a closed account and to refresh what they keep about an
 * updated one (developer.atlassian.com/platform/forge/user-privacy-guidelines).
 *
 * Closing: every mention of the person becomes "Former user", as Jira and Confluence themselves show a closed
 * account. The account id stays where it was (it is the opaque pointer Atlassian's products keep too, and a
 * Jira issue's assignee still carries it); an email typed as an owner is replaced by that account id. What
 * people wrote stays: only the name and email of the person go.
 */
import type { ActionItemOwner, OwnerChange, Postmortem } from '../contract/postmortem';

/** What Jira and Confluence show for a closed account. */
export const FORMER_USER = 'Former user';

/** One person the app knows: their account, and the names and emails it has seen stored for them. */
export interface KnownAccount {
  accountId: string;
  /** Display names seen stored with this account id (or typed with one of its emails). */
  names: string[];
  /** Lower-case emails typed as an owner that Jira matched to this account. */
  emails: string[];
}

/** One mention of a person in a document: an account id, or an email typed as an owner, with the name stored. */
export interface PersonMention {
  /** An account id, or a lower-case email when the owner was typed as one. */
  ref: string;
  kind: 'account' | 'email';
  name: string;
}

export const isEmailRef = (id: string) => id.includes('@');
/**
 * What can be an Atlassian account id (`557058:…`, 24 hex digits, `qm:…`): letters, digits, `:`, `_`, `-`. A
 * person's id typed some other way is not sent in a report, where one bad id could make the whole call fail.
 */
export const isAccountIdLike = (id: string) => /^[\w:-]{1,128}$/.test(id);
const norm = (s: string) => s.trim().toLowerCase();

function ownersOf(pm: Postmortem): ActionItemOwner[] {
  const changes = pm.ownerChanges ?? [];
  return [
    ...(pm.incidentOwner ? [pm.incidentOwner] : []),
    ...pm.attendees,
    ...pm.stakeholders,
    ...pm.actionItems.flatMap((i) => (i.owner ? [i.owner] : [])),
    ...changes.flatMap((c) => [c.from, c.to].filter((o): o is ActionItemOwner => !!o)),
  ];
}

/** Every person a postmortem names by account id or email (duplicates kept; the caller merges). */
export function mentionsIn(pm: Postmortem): PersonMention[] {
  const out: PersonMention[] = [];
  for (const o of ownersOf(pm)) {
    if (o.kind !== 'user' || !o.id.trim()) continue;
    const email = isEmailRef(o.id);
    if (!email && !isAccountIdLike(o.id)) continue;
    out.push({ ref: email ? norm(o.id) : o.id, kind: email ? 'email' : 'account', name: o.displayName });
  }
  for (const c of pm.ownerChanges ?? []) if (c.byAccountId && isAccountIdLike(c.byAccountId)) out.push({ ref: c.byAccountId, kind: 'account', name: c.byName });
  return out;
}

/** Whether this owner is the person (by account id or one of their emails). */
function isPerson(o: ActionItemOwner, person: KnownAccount): boolean {
  if (o.kind !== 'user') return false;
  return o.id === person.accountId || (isEmailRef(o.id) && person.emails.includes(norm(o.id)));
}

function mapOwners(pm: Postmortem, f: (o: ActionItemOwner) => ActionItemOwner): Postmortem {
  const g = (o: ActionItemOwner | null) => (o ? f(o) : o);
  return {
    ...pm,
    incidentOwner: g(pm.incidentOwner),
    attendees: pm.attendees.map(f),
    stakeholders: pm.stakeholders.map(f),
    actionItems: pm.actionItems.map((i) => (i.owner ? { ...i, owner: f(i.owner) } : i)),
    ...(pm.ownerChanges ? { ownerChanges: pm.ownerChanges.map((c): OwnerChange => ({ ...c, from: g(c.from), to: g(c.to) })) } : {}),
  };
}

/**
 * The postmortem with every closed account's name and email replaced: owners become "Former user" (their
 * account id kept, an email replaced by it), the owner-change history names "Former user", and a pasted chat
 * line's author that is exactly one of their known names (case and spaces aside) becomes "Former user". The
 * text people wrote stays. Applying it again changes nothing.
 */
export function anonymisePostmortem(pm: Postmortem, closed: KnownAccount[]): Postmortem {
  if (!closed.length) return pm;
  const names = new Set(closed.flatMap((c) => c.names.map(norm)).filter((n) => n && n !== norm(FORMER_USER)));
  const person = (o: ActionItemOwner) => closed.find((c) => isPerson(o, c));
  let out = mapOwners(pm, (o) => {
    const c = person(o);
    return c ? { kind: 'user', id: c.accountId, displayName: FORMER_USER } : o;
  });
  out = {
    ...out,
    timeline: out.timeline.map((t) => (t.author !== undefined && names.has(norm(t.author)) ? { ...t, author: FORMER_USER } : t)),
    ...(out.ownerChanges ? { ownerChanges: out.ownerChanges.map((c) => (closed.some((a) => a.accountId === c.byAccountId) ? { ...c, byName: FORMER_USER } : c)) } : {}),
  };
  return out;
}

/** The postmortem with these accounts' stored names replaced by their current ones (by account id only). */
export function refreshNames(pm: Postmortem, current: Map<string, string>): Postmortem {
  if (!current.size) return pm;
  const out = mapOwners(pm, (o) => (o.kind === 'user' && current.has(o.id) ? { ...o, displayName: current.get(o.id)! } : o));
  return out.ownerChanges ? { ...out, ownerChanges: out.ownerChanges.map((c) => (current.has(c.byAccountId) ? { ...c, byName: current.get(c.byAccountId)! } : c)) } : out;
}

/** Whether two documents differ (the job writes a page property only when something changed). */
export function sameDocument(a: Postmortem, b: Postmortem): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The `updatedAt` reported for an account (Atlassian: when the app last retrieved that person's data): the last
 * time the app fetched the name itself, else the earliest time it stored something about them.
 */
export function reportedUpdatedAt(account: { checkedAt?: string; storedSince: string }): string {
  return account.checkedAt ?? account.storedSince;
}

/** The earlier of two ISO instants (either may be missing). */
export function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
