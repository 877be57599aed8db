/** What every payload check shares: the ids the app accepts, and zod's complaints as per-field messages. */
import type { z } from 'zod';

/** A Jira issue key such as INC-42. */
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;
/** A Jira project key such as OPS (2–10 characters; Jira's default key pattern). */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
/** A Confluence content id (digits). */
export const PAGE_ID = /^\d{1,19}$/;
/**
 * An action item's id. It travels into the item's issue property, JQL (as a quoted literal), the remote link's
 * globalId and storage keys (hashed, src/store/storage-keys.ts): plain ASCII keeps every one of them valid.
 */
export const ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** An id the app or the platform made: a macro's localId, a run id (also safe as part of a storage key). */
export const APP_ID = /^[\w-]{1,100}$/;

/** The first message per field (dotted path); a complaint about the whole input goes under `root`. */
export function fieldErrorsOf(error: z.ZodError, root: string): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[issue.path.length ? issue.path.map(String).join('.') : root] ??= issue.message;
  return fieldErrors;
}
