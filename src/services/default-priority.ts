/**
 * Jira's default priority name, which the report, the gadget and the follow-ups need to tell an item nobody
 * prioritized. Each report page, filter change and gadget refresh used to ask Jira for it (one REST call
 * against the customer's rate limit on top of the one search); it is now kept in the app's storage for
 * KEEP_MS and asked again after that. A default priority changed in Jira's admin is seen within KEEP_MS.
 */
import type { JiraClient } from '../atlassian/jira';
import { readKnownDefaultPriority, storeKnownDefaultPriority } from '../store/default-priority';

/** How long a looked-up default priority is used before Jira is asked again. */
export const KEEP_MS = 10 * 60_000;

export async function defaultPriorityName(jira: JiraClient, now: Date = new Date()): Promise<string | null> {
  const known = await readKnownDefaultPriority();
  const age = known ? now.getTime() - Date.parse(known.checkedAt) : NaN;
  // A record from the future (a clock step back) counts as old.
  if (known && age >= 0 && age < KEEP_MS) return known.name;
  const name = await jira.defaultPriorityName();
  await storeKnownDefaultPriority({ name, checkedAt: now.toISOString() });
  return name;
}
