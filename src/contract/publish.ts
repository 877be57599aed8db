/**
 * Publishing a reviewed postmortem from its macro: served by the macro's resolver (src/resolvers/publish.ts,
 * merged into src/resolvers/postmortem-macro.ts) and used by static/postmortem/src/PublishPanel.tsx.
 */
import type { Result } from './result';
import type { Postmortem } from './postmortem';

/** Per step: when it was done, or why it was skipped. */
export interface PublishRun {
  pageId: string;
  localId: string;
  startedBy: string;
  startedAt: string;
  /** When the status became published (the digest week is taken from it). */
  publishedAt: string;
  /** 2026-W47: the digest week the postmortem counts in. */
  week: string;
  steps: {
    status?: string;
    labels?: { at: string; labels: string[] };
    /** Recorded before posting: who the comment is posted as, and since when (src/services/app-comments.ts). */
    commentIntent?: { at: string; accountId: string };
    comment?: { at: string; issueKey: string; commentId: string } | { at: string; skipped: string };
    digest?: string;
    /** Recorded before asking Jira to notify: a notification that may have gone out is never sent twice. */
    notifyIntent?: string;
    /** Jira's notification on the incident issue (POST /rest/api/3/issue/{key}/notify): who was asked for. */
    notify?: { at: string; issueKey: string; to: string[] } | { at: string; skipped: string };
    /** Recorded before sending, so that a crash mid-send is known (the retry resends with the same Message-ID). */
    emailIntent?: string;
    /** The experimental SMTP email (opt-in): its failure is recorded and never stops the other steps. */
    email?: { at: string; to: string[]; accepted: string[]; rejected: string[]; messageId: string } | { at: string; skipped: string } | { at: string; failed: string };
  };
  done: boolean;
}

export type PublishStepName = 'status' | 'labels' | 'comment' | 'notify' | 'digest' | 'email';

export interface PublishStepView {
  step: PublishStepName;
  state: 'done' | 'skipped' | 'pending' | 'failed';
  /** One line a person can read: "Labelled postmortem, sev2", "Commented on INC-1", "Emailed eng@example.com". */
  detail: string;
}

export interface PublishView {
  /** Whether the viewer may publish now (or finish a publish that stopped part-way). */
  canPublish: boolean;
  /** Why not, when they may not. */
  reason?: string;
  /** Set once publishing has started. */
  run?: { done: boolean; publishedAt: string; steps: PublishStepView[]; commentUrl?: string };
}

export interface PublishOutcome extends Required<Pick<PublishView, 'run'>> {
  /** The stored postmortem after publishing and its page-property version. */
  postmortem: Postmortem;
  version: number;
  /** True when everything had already been done (a double click or a second person): nothing was repeated. */
  alreadyPublished: boolean;
}

export type PublishDefinitions = {
  /** Whether the viewer may publish, and how far publishing got. */
  getPublishState: () => Result<PublishView>;
  /** Publishes (or finishes publishing) this macro's postmortem; each side effect happens once. */
  publishPostmortem: () => Result<PublishOutcome>;
};
