/**
 * The postmortem macro's resolver contract, shared by src/resolvers/postmortem-macro.ts and
 * static/postmortem. The page and the macro's localId come from the invocation context, never the payload.
 */
import type { Result } from './result';
import type { Postmortem } from './postmortem';
import type { LiveIssue } from './action-items';

export interface MacroSettings {
  timeZone: string;
  holidays: string[];
  businessDaysOnly: boolean;
}

export interface LoadedPostmortem {
  postmortem: Postmortem;
  /** Page-property version the postmortem was read at; 0 when it has never been saved. */
  version: number;
  /** Whether the viewer may change it (may edit the page); checked again on every save. */
  canEdit: boolean;
  page: { id: string; title: string; url: string };
  settings: MacroSettings;
  /** The items' live Jira state, read with the document; absent when Jira could not answer (ask getLiveIssues). */
  live?: LiveIssue[];
}

export type SaveOutcome =
  /** Stored. `merged` when someone else had saved in between and their changes were folded in without conflict. */
  | { kind: 'saved'; version: number; postmortem: Postmortem; merged: boolean }
  /** Someone else saved changes that clash with yours: nothing was stored; the UI shows both and you choose. */
  | { kind: 'conflict'; theirs: Postmortem; theirsVersion: number; merged: Postmortem; conflicts: string[] };

/** A Jira user matching what was typed in an owner field (as the viewer may see them). */
export interface PersonMatch {
  accountId: string;
  displayName: string;
}

export type PostmortemMacroDefinitions = {
  /** Jira users matching the text (2–100 characters), at most 5: lets an owner field tell a person from a team. */
  findPeople: (input: { query: string }) => Result<PersonMatch[]>;
  loadPostmortem: () => Result<LoadedPostmortem>;
  /** `base` is what this editor loaded (for the three-way merge); `baseVersion` its version. */
  savePostmortem: (input: { postmortem: Postmortem; base: Postmortem | null; baseVersion: number }) => Result<SaveOutcome>;
};
