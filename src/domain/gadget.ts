/**
 * The dashboard gadget's configuration: its schema (anyone who may edit the dashboard writes it, so it is
 * checked on every call), its default, and the JQL of its scope. Pure: no I/O.
 */
import { z } from 'zod';
import { GADGET_DEFAULT_ROWS, GADGET_MAX_ROWS, GADGET_REASONS, type GadgetConfig } from '../contract/gadget';
import type { ReportReason } from '../contract/report';
import { baseJql } from './follow-through-report';
import { PROJECT_KEY } from './validation';

const MAX_GADGET_PROJECTS = 20;

export const DEFAULT_GADGET_CONFIG: GadgetConfig = { scope: { kind: 'projects', projectKeys: [] }, reasons: [...GADGET_REASONS], rows: GADGET_DEFAULT_ROWS };

const projectKey = z.string().regex(PROJECT_KEY, 'Use a Jira project key such as OPS.');

export const gadgetConfigSchema = z
  .object({
    scope: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('projects'), projectKeys: z.array(projectKey).max(MAX_GADGET_PROJECTS, `Pick at most ${MAX_GADGET_PROJECTS} projects.`) }).strict(),
      z.object({ kind: z.literal('filter'), filterId: z.string().regex(/^\d{1,18}$/, 'Pick a saved filter.') }).strict(),
    ]),
    reasons: z.array(z.enum(['overdue', 'unassigned', 'unprioritized', 'stale'])).min(1, 'Pick at least one reason.').max(GADGET_REASONS.length),
    rows: z.number().int('Show a whole number of rows.').min(1, 'Show at least one row.').max(GADGET_MAX_ROWS, `Show at most ${GADGET_MAX_ROWS} rows.`),
  })
  .strict()
  // One form: projects sorted without repeats, reasons in the report's order.
  .transform((c): GadgetConfig => ({
    scope: c.scope.kind === 'projects' ? { kind: 'projects', projectKeys: [...new Set(c.scope.projectKeys)].sort() } : c.scope,
    reasons: GADGET_REASONS.filter((r) => c.reasons.includes(r)),
    rows: c.rows,
  }));

/**
 * What Jira hands back as `gadgetConfiguration`: nothing (or `{}`) before the first save, else what was
 * submitted — checked. Jira also keeps its own `refresh` field beside the app's, which is not the app's to check.
 */
export function readGadgetConfiguration(raw: unknown): { configured: false } | { configured: true; config: GadgetConfig } | { configured: true; error: z.ZodError } {
  if (raw === undefined || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).filter((k) => k !== 'refresh').length === 0)) {
    return { configured: false };
  }
  const fields = typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'refresh')) : raw;
  const parsed = gadgetConfigSchema.safeParse(fields);
  return parsed.success ? { configured: true, config: parsed.data } : { configured: true, error: parsed.error };
}

/**
 * Every open action item the gadget covers: in these projects (null = every project) and, for a saved filter,
 * matched by it too — Jira applies the filter as the viewer, and refuses one they may not see.
 */
export function gadgetItemsJql(projectKeys: string[] | null, filterId: string | null): string {
  const base = baseJql(projectKeys);
  return filterId ? `${base} AND filter = ${filterId}` : base;
}

export type { ReportReason };
