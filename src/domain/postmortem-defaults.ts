/**
 * A new postmortem shaped like the essay's Postmortem Summary, what each status is called, and the size limits
 * the editor and the stored-document check share. Pure, no I/O, no zod: the Custom UI imports it.
 */
import { FAILURE_CATEGORIES } from '../contract/postmortem';
import type { ActionItemOwner, Postmortem, PostmortemStatus, Severity, TimelineEntry } from '../contract/postmortem';

export const DEFAULT_SEVERITY: Severity = 'SEV3';

/** What each status is called, in the macro, the index and the export. */
export const POSTMORTEM_STATUS_LABEL: Record<PostmortemStatus, string> = { draft: 'Draft', 'in-review': 'In review', reviewed: 'Reviewed', published: 'Published' };

export interface NewPostmortemInput {
  title: string;
  incidentKey?: string | null;
  severity?: Severity;
  actionItemProjectKey: string;
  actionItemIssueType: string;
  /** The incident owner. */
  owner?: ActionItemOwner | null;
  summary?: string;
  /** ISO instants from the incident issue, if known: they seed the timeline. */
  detectedAt?: string | null;
  resolvedAt?: string | null;
}

/**
 * A draft with the Summary's sections in place: the timeline starts with the detection and resolution times
 * the incident issue already knows, the four "what failed" prompts wait for notes, and Action Items stay
 * empty until the meeting (as the essay asks).
 */
export function newPostmortem(input: NewPostmortemInput): Postmortem {
  const timeline: TimelineEntry[] = [];
  if (input.detectedAt) timeline.push({ id: 'timeline-detection', at: input.detectedAt, kind: 'detection', text: 'Incident detected' });
  if (input.resolvedAt) timeline.push({ id: 'timeline-resolution', at: input.resolvedAt, kind: 'resolution', text: 'Incident resolved' });
  return {
    schema: 1,
    title: input.title.trim(),
    status: 'draft',
    severity: input.severity ?? DEFAULT_SEVERITY,
    incidentKey: input.incidentKey ?? null,
    summary: input.summary ?? '',
    impact: '',
    timeline,
    rootCause: '',
    fiveWhys: [],
    whatFailed: FAILURE_CATEGORIES.map((category) => ({ category, notes: '' })),
    actionItems: [],
    incidentOwner: input.owner ?? null,
    attendees: [],
    stakeholders: [],
    reviewMeetingAt: null,
    actionItemProjectKey: input.actionItemProjectKey,
    actionItemIssueType: input.actionItemIssueType,
    tags: [],
  };
}

/** Sizes the editor enforces as you type and the stored-document check (postmortem-schema.ts) refuses beyond. */
export const LIMITS = {
  title: 255,
  text: 20_000,
  timeline: 500,
  actionItems: 200,
  fiveWhys: 20,
  people: 100,
  tags: 30,
  tag: 50,
  /** A Confluence content property value holds at most 32 KB of JSON. */
  storedBytes: 32 * 1024,
} as const;
