/**
 * The document being edited and its autosave: edits are saved ~1.2 s after the last change (status changes at
 * once) with the loaded `base` and `version`, so the server can three-way merge with whoever saved meanwhile.
 * Nothing typed is ever dropped: a failed save keeps the document and retries on the next edit (or Retry),
 * typing during a save is rebased onto what the server returns, and a conflict stops autosaving until the person
 * has chosen, field by field, between their text and the other person's.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Postmortem } from '../../../src/contract/postmortem';
import type { SaveOutcome } from '../../../src/contract/postmortem-macro';
import type { Result } from '../../../src/contract/result';
import { deepEqual, mergePostmortems } from '../../../src/domain/postmortem-merge';

export interface Conflict {
  /** My document when the conflict was found (everything typed so far). */
  mine: Postmortem;
  theirs: Postmortem;
  theirsVersion: number;
  /** Everything that merged cleanly, with theirs at each conflicting path. */
  merged: Postmortem;
  conflicts: string[];
}

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; conflict: Conflict };

export type SaveFn = (input: { postmortem: Postmortem; base: Postmortem | null; baseVersion: number }) => Promise<Result<SaveOutcome>>;

export interface Autosave {
  doc: Postmortem;
  state: SaveState;
  /** Field errors (dotted paths) from the last refused save; cleared by the next successful one. */
  fieldErrors: Record<string, string>;
  /** Applies a change to the document; `immediate` saves without waiting (status changes). */
  edit: (change: (pm: Postmortem) => Postmortem, opts?: { immediate?: boolean }) => void;
  retry: () => void;
  /** Saves the resolved document on top of theirs and resumes autosaving. */
  resolveConflict: (resolved: Postmortem) => void;
  /**
   * Takes the Jira issue links the app recorded (from the stored document) into the document being edited and
   * its base, without counting as an edit: the links are the app's to write, never an editor's.
   */
  adoptIssues: (stored: Pick<Postmortem, 'actionItems'>) => void;
}

function withIssues(pm: Postmortem, links: Map<string, NonNullable<Postmortem['actionItems'][number]['issue']>>): Postmortem {
  if (!pm.actionItems.some((i) => links.has(i.id) && !deepEqual(i.issue, links.get(i.id)))) return pm;
  return { ...pm, actionItems: pm.actionItems.map((i) => (links.has(i.id) ? { ...i, issue: links.get(i.id) } : i)) };
}

export function useAutosave(initial: { postmortem: Postmortem; version: number }, save: SaveFn, opts: { enabled: boolean; delayMs?: number }): Autosave {
  const delay = opts.delayMs ?? 1200;
  const [doc, setDoc] = useState(initial.postmortem);
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const docRef = useRef(initial.postmortem);
  const baseRef = useRef(initial.postmortem);
  const versionRef = useRef(initial.version);
  const editSeq = useRef(0);
  const saving = useRef(false);
  const again = useRef(false);
  const inConflict = useRef<Conflict | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saveRef = useRef(save);
  saveRef.current = save;

  const replaceDoc = (next: Postmortem) => {
    docRef.current = next;
    setDoc(next);
  };

  const runSave = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (inConflict.current) return;
    if (saving.current) {
      again.current = true;
      return;
    }
    saving.current = true;
    again.current = false;
    const seq = editSeq.current;
    const snapshot = docRef.current;
    setState({ kind: 'saving' });
    const r = await saveRef.current({ postmortem: snapshot, base: baseRef.current, baseVersion: versionRef.current });
    saving.current = false;
    const typedSince = editSeq.current !== seq;
    const next = () => {
      if (typedSince || again.current) timer.current = setTimeout(() => void runSave(), again.current ? 0 : delay);
    };

    if (!r.ok) {
      setState({ kind: 'error', message: r.error.message });
      setFieldErrors(r.error.fieldErrors ?? {});
      next();
      return;
    }
    const outcome = r.value;
    if (outcome.kind === 'saved') {
      versionRef.current = outcome.version;
      baseRef.current = outcome.postmortem;
      setFieldErrors({});
      if (!typedSince) {
        if (!deepEqual(docRef.current, outcome.postmortem)) replaceDoc(outcome.postmortem);
        setState(again.current ? { kind: 'dirty' } : { kind: 'saved' });
      } else {
        // Typed while saving: fold what the server stored (others' merged changes, issue links) under the new
        // typing; where both touched the same field the newer typing wins.
        if (!deepEqual(snapshot, outcome.postmortem)) replaceDoc(mergePostmortems(snapshot, outcome.postmortem, docRef.current).merged);
        setState({ kind: 'dirty' });
      }
      next();
      return;
    }
    // Conflict: compare against everything typed so far, not only what this save carried.
    const mine = docRef.current;
    const local = mergePostmortems(baseRef.current, mine, outcome.theirs);
    if (!local.conflicts.length) {
      baseRef.current = outcome.theirs;
      versionRef.current = outcome.theirsVersion;
      replaceDoc(local.merged);
      editSeq.current += 1;
      timer.current = setTimeout(() => void runSave(), 0);
      return;
    }
    const conflict: Conflict = { mine, theirs: outcome.theirs, theirsVersion: outcome.theirsVersion, merged: local.merged, conflicts: local.conflicts };
    inConflict.current = conflict;
    setState({ kind: 'conflict', conflict });
  }, [delay]);

  const edit = useCallback<Autosave['edit']>(
    (change, editOpts) => {
      if (!opts.enabled || inConflict.current) return;
      const next = change(docRef.current);
      if (next === docRef.current) return;
      replaceDoc(next);
      editSeq.current += 1;
      setState((s) => (s.kind === 'saving' || s.kind === 'error' ? s : { kind: 'dirty' }));
      clearTimeout(timer.current);
      if (editOpts?.immediate) {
        again.current = saving.current;
        void runSave();
      } else {
        timer.current = setTimeout(() => void runSave(), delay);
      }
    },
    [opts.enabled, runSave, delay],
  );

  const retry = useCallback(() => void runSave(), [runSave]);

  const resolveConflict = useCallback(
    (resolved: Postmortem) => {
      const conflict = inConflict.current;
      if (!conflict) return;
      baseRef.current = conflict.theirs;
      versionRef.current = conflict.theirsVersion;
      inConflict.current = null;
      replaceDoc(resolved);
      editSeq.current += 1;
      setState({ kind: 'dirty' });
      void runSave();
    },
    [runSave],
  );

  const adoptIssues = useCallback((stored: Pick<Postmortem, 'actionItems'>) => {
    const links = new Map(stored.actionItems.filter((i) => i.issue).map((i) => [i.id, i.issue!]));
    if (!links.size) return;
    baseRef.current = withIssues(baseRef.current, links);
    const next = withIssues(docRef.current, links);
    if (next !== docRef.current) replaceDoc(next);
  }, []);

  // Leaving with unsaved text: ask first (the browser shows its own wording).
  const unsaved = state.kind !== 'saved';
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return { doc, state, fieldErrors, edit, retry, resolveConflict, adoptIssues };
}
