/**
 * "Last human activity" on an action item: the last change or comment not written by the app. The app's own
 * follow-up comments bump the issue's `updated` (as Jira does for any comment), so `updated` alone would make
 * every nagged item look fresh. Instead the app records, each time it writes, the instant of its write (the
 * comment's `created`, which Jira also stores as the issue's `updated`) and the last human activity it knew
 * of just before. An `updated` no later than that write means nobody has acted since: the recorded human
 * activity stands. A later `updated` is someone else's change or comment. No changelog read is needed, so
 * the job and the report cost no extra REST call per item. Pure: no I/O.
 */

/** What the app recorded the last time it wrote to an issue (kept in Forge storage: people cannot change it). */
export interface AppWrite {
  /** ISO instant of the app's write (its comment's `created`). */
  at: string;
  /** ISO instant of the last human activity known just before that write. */
  humanActivityAt: string;
}

/** The last human activity on an issue whose `updated` is `updated`, given the app's last recorded write. */
export function lastHumanActivity(updated: string, appWrite: AppWrite | null | undefined): string {
  const at = !appWrite || Date.parse(updated) > Date.parse(appWrite.at) ? updated : appWrite.humanActivityAt;
  return new Date(Date.parse(at)).toISOString(); // Jira writes "+0000"; one ISO form for comparing and storing
}

/**
 * The last human activity known just before the app writes again: from the issue as searched, plus any
 * comment by a person the app has just read (a comment posted between the search and the write).
 */
export function humanActivityBeforeWrite(updated: string, appWrite: AppWrite | null | undefined, comments: { created: string; author?: { accountType?: string } }[]): string {
  let latest = lastHumanActivity(updated, appWrite);
  for (const c of comments) {
    if (c.author?.accountType === 'app') continue;
    if (Date.parse(c.created) > Date.parse(latest)) latest = new Date(Date.parse(c.created)).toISOString();
  }
  return latest;
}

/**
 * The day (UTC midnight) of a human activity, as the app writes it into the follow-up property. Jira
 * only uses that property to find candidates (`pmHumanActivityAt <= -7d`); every decision reads the exact instant
 * from the app's records. Rounded down, the candidates are a superset by at most a day, and many items share one
 * value, so one bulk property write covers them (src/jobs/follow-up-consumer.ts).
 */
export function activityDay(iso: string): string {
  const t = new Date(Date.parse(iso));
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate())).toISOString();
}
