/**
 * The dashboard gadget's use case: counts by reason, the oldest items that need attention and the incidents
 * whose postmortem is overdue, for the gadget's configured scope, as the viewing user. The counts and rows
 * come from the report's service (src/services/follow-through-report.ts) with the same JQL the report builds
 * for the same scope, so gadget and report agree.
 */
import type { GadgetConfig, GadgetOverduePostmortem, GadgetView } from '../contract/gadget';
import type { AppSettings } from '../contract/settings';
import type { JiraClient } from '../atlassian/jira';
import { AtlassianError } from '../atlassian/request';
import { businessDaysBetween, businessDaysCutoff } from '../domain/business-days';
import { incidentSearchJql, postmortemOverdue } from '../domain/follow-up';
import { gadgetItemsJql } from '../domain/gadget';
import { localDate } from '../domain/time-zone';
import { findByIncident } from '../store/postmortem-index';
import { reportCounts, reportPage, ZERO_COUNTS } from './follow-through-report';
import { defaultPriorityName } from './default-priority';

const MAX_PROJECTS = 100;
/** Incidents looked at for overdue postmortems (one search page). */
const MAX_INCIDENTS = 50;

/** The gadget's saved filter is gone or not the viewer's to see. */
export class GadgetFilterUnavailable extends Error {
  constructor(readonly filterId: string) {
    super(`Saved filter ${filterId} is not available to you.`);
    this.name = 'GadgetFilterUnavailable';
  }
}

interface Scope {
  /** Projects to name in the JQL (null = every project), [] = nothing the viewer can see. */
  projectKeys: string[] | null;
  filterId: string | null;
  label: string;
}

/**
 * Which projects the JQL may name: those of the configuration (or, none chosen, the app's projects in scope)
 * that are in the app's scope and that the viewer can browse — Jira refuses JQL naming a project the user
 * cannot see, and a viewer must never learn of one. No project anywhere = every project (null).
 */
async function scopeOf(jira: JiraClient, settings: AppSettings, config: GadgetConfig): Promise<Scope> {
  const inScope = (key: string) => !settings.projectsInScope.length || settings.projectsInScope.includes(key);
  const chosen = config.scope.kind === 'projects' ? config.scope.projectKeys.filter(inScope) : [];
  const wanted = chosen.length ? chosen : settings.projectsInScope;
  const filterId = config.scope.kind === 'filter' ? config.scope.filterId : null;
  if (config.scope.kind === 'projects' && config.scope.projectKeys.length && !chosen.length) return { projectKeys: [], filterId, label: 'No project in the app’s scope' };
  const [listed, filter] = await Promise.all([
    wanted.length ? jira.browsableProjects(wanted, MAX_PROJECTS) : Promise.resolve(null),
    filterId ? jira.findFilter(filterId) : Promise.resolve(undefined),
  ]);
  if (filterId && !filter) throw new GadgetFilterUnavailable(filterId);
  const projectKeys = listed ? listed.map((p) => p.key) : null;
  const label = filter ? `Saved filter: ${filter.name}` : listed ? (listed.length ? listed.map((p) => p.name).join(', ') : 'No project you can see') : 'All projects';
  return { projectKeys, filterId, label };
}

/** Resolved incidents the viewer may see whose postmortem is overdue and not published, oldest first. */
async function overduePostmortems(jira: JiraClient, settings: AppSettings, now: Date, siteUrl: string, max: number): Promise<GadgetOverduePostmortem[] | null> {
  const cutoff = businessDaysCutoff(now, settings.postmortemDueBusinessDays + 1, { timeZone: settings.timeZone, holidays: settings.holidays });
  let found;
  try {
    found = await jira.searchPage(incidentSearchJql(settings.incidentJql, cutoff), { fields: ['summary', 'resolutiondate'], maxResults: MAX_INCIDENTS });
  } catch (e) {
    // The admin's incident JQL may name a project this viewer cannot see: Jira refuses it for them.
    if (e instanceof AtlassianError && e.status === 400) return null;
    throw e;
  }
  const out: GadgetOverduePostmortem[] = [];
  for (const issue of found.issues) {
    if (out.length >= max) break;
    const resolved = issue.fields.resolutiondate ? new Date(String(issue.fields.resolutiondate)) : null;
    if (!resolved || Number.isNaN(resolved.getTime()) || !postmortemOverdue(resolved, settings, now)) continue;
    const postmortems = await findByIncident(issue.key);
    if (postmortems.some((p) => p.status === 'published')) continue;
    out.push({
      incidentKey: issue.key,
      url: `${siteUrl}/browse/${issue.key}`,
      summary: String(issue.fields.summary ?? ''),
      resolvedOn: localDate(resolved, settings.timeZone),
      businessDays: businessDaysBetween(resolved, now, { timeZone: settings.timeZone, holidays: settings.holidays }),
      postmortem: postmortems.length ? 'unpublished' : 'none',
    });
  }
  return out;
}

/** The gadget's view for this configuration, as the client's user. Jira refusing the items' JQL: ReportQueryRefused. */
export async function gadgetView(jira: JiraClient, settings: AppSettings, config: GadgetConfig, options: { now: Date; siteUrl: string }): Promise<GadgetView> {
  const { now, siteUrl } = options;
  const [defaultPriority, scope] = await Promise.all([defaultPriorityName(jira), scopeOf(jira, settings, config)]);
  const base = { configured: true, asOf: now.toISOString(), config, scopeLabel: scope.label, postmortemDueBusinessDays: settings.postmortemDueBusinessDays };
  const overdue = overduePostmortems(jira, settings, now, siteUrl, config.rows);
  if (scope.projectKeys?.length === 0) return { ...base, counts: ZERO_COUNTS, oldest: [], overduePostmortems: await overdue };
  const all = gadgetItemsJql(scope.projectKeys, scope.filterId);
  const [{ counts }, page, postmortems] = await Promise.all([
    reportCounts(jira, all, settings, defaultPriority, now),
    reportPage(jira, settings, { all, reason: config.reasons, words: null, now, siteUrl, defaultPriority, maxResults: config.rows }),
    overdue,
  ]);
  return {
    ...base,
    counts,
    oldest: page.rows.slice(0, config.rows).map((r) => ({ key: r.key, url: r.url, summary: r.summary, ageDays: r.ageDays, reasons: r.reasons, assignee: r.assignee?.displayName ?? null })),
    overduePostmortems: postmortems,
  };
}
