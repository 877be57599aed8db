/**
 * The *Postmortem follow-through* dashboard gadget's resolver contract (`jira:dashboardGadget`), shared by
 * src/resolvers/dashboard-gadget.ts and static/gadget. The view shows counts by reason, the oldest items that
 * need attention and the incidents whose postmortem is overdue, computed by the report's own service
 * (src/services/follow-through-report.ts) as the viewing user, so the numbers match the report's and nobody
 * sees an issue they may not browse.
 *
 * The configuration is what the edit view submits (`view.submit`); Jira keeps it with the gadget and hands it
 * back in the context (`extension.gadgetConfiguration`). Anyone who may edit the dashboard can write it, so
 * the resolver validates it on every call.
 */
import type { ReportCounts, ReportProject, ReportReason } from './report';
import type { Result } from './result';

export const GADGET_REASONS: readonly ReportReason[] = ['overdue', 'unassigned', 'unprioritized', 'stale'];
export const GADGET_MAX_ROWS = 20;
export const GADGET_DEFAULT_ROWS = 5;

/** Which items the gadget covers: projects (none = every project in the app's scope) or a saved filter. */
export type GadgetScope = { kind: 'projects'; projectKeys: string[] } | { kind: 'filter'; filterId: string };

export interface GadgetConfig {
  scope: GadgetScope;
  /** The reasons counted and listed (at least one), in the report's order. */
  reasons: ReportReason[];
  /** How many of the oldest items to list (1–20). */
  rows: number;
}

export interface GadgetItem {
  key: string;
  url: string;
  summary: string;
  /** Whole days since the issue was created. */
  ageDays: number;
  reasons: ReportReason[];
  assignee: string | null;
}

export interface GadgetOverduePostmortem {
  incidentKey: string;
  url: string;
  summary: string;
  /** YYYY-MM-DD, the day the incident was resolved. */
  resolvedOn: string;
  /** Business days since the incident was resolved. */
  businessDays: number;
  /** Whether the app's index has a postmortem for it yet (not yet published either way). */
  postmortem: 'none' | 'unpublished';
}

export interface GadgetView {
  /** False until someone saves the gadget's configuration: the view then asks for it. */
  configured: boolean;
  asOf: string;
  config: GadgetConfig;
  /** What the scope is, in words ("Operations, Security", "Saved filter: Operations work", "All projects"). */
  scopeLabel: string;
  /** The report's counts for the same scope (only the chosen reasons are shown). */
  counts: ReportCounts;
  /** The oldest open items with one of the chosen reasons, oldest first. */
  oldest: GadgetItem[];
  /** Resolved incidents (as the viewer may see them) whose postmortem is overdue: none, or not yet published. Null: Jira refused the settings' incident search for this viewer. */
  overduePostmortems: GadgetOverduePostmortem[] | null;
  /** The business days a postmortem is due in (the settings). */
  postmortemDueBusinessDays: number;
}

export interface GadgetEditOptions {
  /** The current configuration (or the default one). */
  config: GadgetConfig;
  /** Projects in the app's scope the editor can browse. */
  projects: ReportProject[];
  /** Saved filters the editor can see. */
  filters: { id: string; name: string }[];
}

export type GadgetDefinitions = {
  getGadgetView: () => Result<GadgetView>;
  getGadgetEditOptions: () => Result<GadgetEditOptions>;
  /** Checks a configuration before the edit view submits it: the normalised config, or the fields to fix. */
  checkGadgetConfig: (input: { config: unknown }) => Result<GadgetConfig>;
};
