/**
 * The whole postmortem as an ADF document: what Confluence's PDF / Word export shows in place of the
 * macro (adfExport), and what publishing shares. Built with @atlaskit/adf-utils so the output is valid ADF.
 */
import { doc, heading, p, text, bulletList, listItem, orderedList, table, tableRow, tableHeader, tableCell, strong, em, link, rule } from '@atlaskit/adf-utils/builders';
import type { ActionItem, ActionItemOwner, FailureCategory, Postmortem } from '../contract/postmortem';
import { POSTMORTEM_STATUS_LABEL } from '../domain/postmortem-defaults';
import { computeTimelineMetrics, formatDuration, sortTimeline, TIMELINE_KIND_LABEL } from '../domain/timeline';

export const FAILURE_PROMPTS: Record<FailureCategory, string> = {
  detection: 'Did it take longer to detect the incident or page someone than it should have? Was sufficient monitoring in place?',
  escalation: 'Was the first responder the right person, or did it take several escalations to reach someone who could resolve it?',
  resilience: 'Was the impact larger than it could have been because secondary systems were not resilient to the failure?',
  documentation: 'Did resolution take longer because relevant documentation was missing or out of date?',
};



const ownerName = (o: ActionItemOwner | null | undefined) => (o ? (o.kind === 'team' ? `${o.displayName} (team)` : o.displayName) : 'Unassigned');

/** Paragraphs from multi-line text; an empty section says so instead of disappearing from the export. */
function paragraphs(value: string, emptyText: string) {
  const parts = value.split(/\n{2,}/).map((s) => s.trim()).filter(Boolean);
  return parts.length ? parts.map((s) => p(text(s))) : [p(em(text(emptyText)))];
}

function when(iso: string | null, timeZone: string): string {
  if (!iso) return 'time unknown';
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) + ` (${timeZone})`;
}

function actionItemRow(item: ActionItem, siteUrl: string) {
  const issueCell = item.issue ? p(link({ href: `${siteUrl}/browse/${item.issue.key}` })(text(item.issue.key))) : p(text('—'));
  const state = item.state === 'dropped' ? `Dropped: ${item.dropReason ?? ''}` : item.state === 'accepted' ? 'Accepted' : 'Proposed';
  return tableRow([
    tableCell({})(p(text(item.title || 'Untitled'))),
    tableCell({})(p(text(ownerName(item.owner)))),
    tableCell({})(p(text(`${item.effort} effort / ${item.impact} impact`))),
    tableCell({})(p(text(item.dueDate ?? '—'))),
    tableCell({})(p(text(state))),
    tableCell({})(issueCell),
  ]);
}

export type AdfDocument = ReturnType<typeof doc>;

export function postmortemDocument(pm: Postmortem, opts: { timeZone: string; siteUrl: string; pageUrl?: string }): AdfDocument {
  const metrics = computeTimelineMetrics(pm.timeline);
  const duration = (ms: number | null) => (ms === null ? 'not known' : formatDuration(ms));
  const content = [
    heading({ level: 1 })(text(pm.title || 'Postmortem')),
    p(
      strong(text('Status: ')), text(`${POSTMORTEM_STATUS_LABEL[pm.status]} · `),
      strong(text('Severity: ')), text(`${pm.severity} · `),
      strong(text('Incident: ')), text(pm.incidentKey ?? 'none'),
    ),
    p(strong(text('Incident owner: ')), text(ownerName(pm.incidentOwner)), text(' · '), strong(text('Review meeting: ')), text(pm.reviewMeetingAt ? when(pm.reviewMeetingAt, opts.timeZone) : 'not scheduled')),
    p(strong(text('Attendees: ')), text(pm.attendees.map((a) => ownerName(a)).join(', ') || 'none listed')),
    p(
      strong(text('Time to detect: ')), text(`${duration(metrics.timeToDetectMs)} · `),
      strong(text('to respond: ')), text(`${duration(metrics.timeToRespondMs)} · `),
      strong(text('to mitigate: ')), text(`${duration(metrics.timeToMitigateMs)} · `),
      strong(text('to resolve: ')), text(duration(metrics.timeToResolveMs)),
    ),
    heading({ level: 2 })(text('Summary')),
    ...paragraphs(pm.summary, 'No summary yet.'),
    heading({ level: 2 })(text('Impact')),
    ...paragraphs(pm.impact, 'Impact not described yet.'),
    heading({ level: 2 })(text('Timeline')),
    ...(pm.timeline.length
      ? [bulletList(...sortTimeline(pm.timeline).map((e) => listItem([p(strong(text(`${when(e.at, opts.timeZone)} — ${TIMELINE_KIND_LABEL[e.kind]}: `)), text(`${e.author ? `${e.author}: ` : ''}${e.text || ' '}`))])))]
      : [p(em(text('No timeline entries yet.')))]),
    heading({ level: 2 })(text('Root cause')),
    ...paragraphs(pm.rootCause, 'Root cause not identified yet.'),
    ...(pm.fiveWhys.some((w) => w.trim())
      ? [heading({ level: 3 })(text('Five whys')), orderedList()(...pm.fiveWhys.filter((w) => w.trim()).map((w) => listItem([p(text(w))])))]
      : []),
    heading({ level: 2 })(text('What failed')),
    ...pm.whatFailed.flatMap((w) => [p(strong(text(FAILURE_PROMPTS[w.category]))), ...paragraphs(w.notes, 'No notes.')]),
    heading({ level: 2 })(text('Action items')),
    ...(pm.actionItems.length
      ? [
          table(
            tableRow([tableHeader({})(p(text('Action item'))), tableHeader({})(p(text('Owner'))), tableHeader({})(p(text('Effort / impact'))), tableHeader({})(p(text('Due'))), tableHeader({})(p(text('State'))), tableHeader({})(p(text('Jira')))]),
            ...pm.actionItems.map((item) => actionItemRow(item, opts.siteUrl)),
          ),
        ]
      : [p(em(text('Action items are added during the review meeting.')))]),
    ...(pm.tags.length ? [p(strong(text('Tags: ')), text(pm.tags.join(', ')))] : []),
    rule(),
    p(em(text('Blameless postmortem: we look at processes and technology, not at individual performance.')), ...(opts.pageUrl ? [text(' '), link({ href: opts.pageUrl })(text('Open the live postmortem'))] : [])),
  ];
  return doc(...(content as Parameters<typeof doc>));
}
