/**
 * Atlassian's personal data reporting API as the platform serves it to a Forge app: `POST /app/report-accounts`
 * through the app's proxy (`@forge/api` out/privacy/index.js: `privacy.reportPersonalData` posts
 * `{accounts: [{accountId, updatedAt}]}` with at most LIMIT = 90 accounts, reads `{accounts: [{accountId,
 * status}]}` from a 200, takes 204 as "nothing to do", and rejects on any other status).
 *
 * Per Atlassian's user privacy guide (developer.atlassian.com/platform/forge/user-privacy-guidelines):
 * `closed` for an account that was closed, whatever `updatedAt` says; `updated` for an account whose profile
 * changed after `updatedAt` (the time the app last retrieved that person's data); accounts needing nothing are
 * left out; 204 when no account needs anything; 400 for a malformed body or more than 90 accounts.
 * GUESSES (stricter than Cloud may be): an empty list, a missing or unparsable `updatedAt`, or a duplicate
 * account id is a 400; an account id the site never knew is left out; an app without the
 * `report:personal-data` scope gets 403.
 */
import type { SiteState, SiteUser } from '../state/types';

export const REPORT_ACCOUNTS_PATH = '/app/report-accounts';
export const REPORT_ACCOUNTS_LIMIT = 90;

export interface ClosedAccount { accountId: string; closedAt: string }

export interface PrivacyAnswer { status: number; body?: unknown }

/** The site's people: active users (with when their profile last changed) and closed accounts. */
export interface PrivacyDirectory {
  users: Pick<SiteUser, 'accountId' | 'profileUpdatedAt'>[];
  closedAccounts: ClosedAccount[];
}

export function directoryOf(state: SiteState): PrivacyDirectory {
  return { users: state.users, closedAccounts: state.closedAccounts ?? [] };
}

const bad = (message: string): PrivacyAnswer => ({ status: 400, body: { message } });

export function reportAccounts(dir: PrivacyDirectory, body: unknown, scopes: string[]): PrivacyAnswer {
  if (!scopes.includes('report:personal-data')) return { status: 403, body: { message: "The app's manifest does not declare the report:personal-data scope." } };
  const accounts = (body as { accounts?: unknown } | undefined)?.accounts;
  if (!Array.isArray(accounts)) return bad('The body must be {"accounts": [{"accountId": ..., "updatedAt": ...}]}.');
  if (accounts.length === 0) return bad('No accounts to report.');
  if (accounts.length > REPORT_ACCOUNTS_LIMIT) return bad(`At most ${REPORT_ACCOUNTS_LIMIT} accounts per request (got ${accounts.length}).`);
  const seen = new Set<string>();
  const out: { accountId: string; status: 'closed' | 'updated' }[] = [];
  for (const [i, a] of accounts.entries()) {
    const { accountId, updatedAt } = (a ?? {}) as { accountId?: unknown; updatedAt?: unknown };
    if (typeof accountId !== 'string' || !accountId.trim() || accountId.length > 128) return bad(`accounts[${i}].accountId must be an account id.`);
    if (typeof updatedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(updatedAt) || Number.isNaN(Date.parse(updatedAt))) return bad(`accounts[${i}].updatedAt must be an ISO 8601 date-time.`);
    if (seen.has(accountId)) return bad(`accounts[${i}]: account ${accountId} is listed twice.`);
    seen.add(accountId);
    if (dir.closedAccounts.some((c) => c.accountId === accountId)) {
      out.push({ accountId, status: 'closed' });
      continue;
    }
    const user = dir.users.find((u) => u.accountId === accountId);
    if (user?.profileUpdatedAt && Date.parse(user.profileUpdatedAt) > Date.parse(updatedAt)) out.push({ accountId, status: 'updated' });
  }
  return out.length ? { status: 200, body: { accounts: out } } : { status: 204 };
}

/**
 * Closes an account as Atlassian does: the profile is gone from the site's people (Jira and Confluence user
 * APIs then show "Former user", no email), its consent with it; the account id stays in what refers to it.
 */
export function closeAccount(state: SiteState, accountId: string, at: string): void {
  const user = state.users.find((u) => u.accountId === accountId);
  if (!user) throw new Error(`No active account ${accountId}`);
  state.users = state.users.filter((u) => u !== user);
  state.platform.consentedUsers = state.platform.consentedUsers.filter((id) => id !== accountId);
  (state.closedAccounts ??= []).push({ accountId, closedAt: at });
}

/** A person changes their profile name: reported `updated` to apps that retrieved it before `at`. */
export function renameAccount(state: SiteState, accountId: string, displayName: string, at: string): void {
  const user = state.users.find((u) => u.accountId === accountId);
  if (!user) throw new Error(`No active account ${accountId}`);
  user.displayName = displayName;
  user.profileUpdatedAt = at;
}
