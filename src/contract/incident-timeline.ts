/**
 * "Import from INC-…" in the postmortem macro (src/resolvers/incident-timeline.ts): the incident's Jira history
 * as timeline rows, read as the viewer. Nothing is written: the macro shows the rows, the person accepts them,
 * and they are saved with the postmortem like any other edit.
 */
import type { Result } from './result';
import type { TimelineEntry } from './postmortem';

export interface IncidentTimeline {
  issueKey: string;
  /** Rows with their kind guessed and a stable id per Jira event (src/domain/incident-timeline.ts), in time order. */
  entries: TimelineEntry[];
}

export type IncidentTimelineDefinitions = {
  /** `issueKey` is the postmortem's incident (a Jira key); read as the caller, so only what they may see. */
  importIncidentTimeline: (input: { issueKey: string }) => Result<IncidentTimeline>;
};
