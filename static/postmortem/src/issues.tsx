/**
 * The macro's Jira side: creating issues for accepted action items (one item or all of them) and showing each
 * issue's live status, assignee, priority and due date from Jira — Jira is the source of truth once an issue
 * exists. A run too large for one UI call goes to the background; this follows it until every item has an outcome.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionItemDefinitions, CreateRun, ItemOutcome, LiveIssue } from '../../../src/contract/action-items';
import type { ActionItem } from '../../../src/contract/postmortem';
import { typedInvoke } from '../../shared/invoke';

const call = typedInvoke<ActionItemDefinitions>();
const POLL_MS = 1500;

export interface IssuesState {
  live: Map<string, LiveIssue>;
  /** Last outcome per item of this session's create runs (failures stay until the next try). */
  outcomes: Map<string, ItemOutcome>;
  /** Items being created right now (a click shows progress on exactly these). */
  busy: Set<string>;
  progress?: { done: number; total: number };
  /** A failure of the whole call (not of one item), in plain words. */
  error?: string;
  liveError?: string;
  refreshing: boolean;
  create: (itemIds?: string[]) => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<IssuesState | null>(null);

export function useIssues(): IssuesState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useIssues outside IssuesProvider');
  return ctx;
}

/** Items a "Create all" click covers: accepted, no issue yet. The server decides again from the stored document. */
export const creatable = (items: ActionItem[]) => items.filter((i) => i.state === 'accepted' && !i.issue);

export function IssuesProvider(props: {
  items: ActionItem[];
  /** Called after a run that created or found issues: the editor takes the recorded links into its document. */
  onIssuesRecorded: () => Promise<void>;
  children: ReactNode;
}) {
  const [live, setLive] = useState(new Map<string, LiveIssue>());
  const [outcomes, setOutcomes] = useState(new Map<string, ItemOutcome>());
  const [busy, setBusy] = useState(new Set<string>());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [liveError, setLiveError] = useState<string | undefined>();
  const [refreshing, setRefreshing] = useState(false);
  const inFlight = useRef(new Set<string>());
  const onIssuesRecorded = useRef(props.onIssuesRecorded);
  onIssuesRecorded.current = props.onIssuesRecorded;
  const items = useRef(props.items);
  items.current = props.items;
  const hasIssues = props.items.some((i) => i.issue);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    const r = await call('getLiveIssues');
    setRefreshing(false);
    if (!r.ok) return setLiveError(`Live status from Jira is unavailable: ${r.error.message}`);
    setLiveError(undefined);
    setLive(new Map(r.value.map((l) => [l.itemId, l])));
  }, []);

  useEffect(() => {
    if (hasIssues) void refresh();
    // Coming back to the tab (say, after moving an issue in Jira) shows the new state.
    const onVisible = () => document.visibilityState === 'visible' && hasIssues && void refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [hasIssues, refresh]);

  const record = (run: CreateRun): boolean => {
    setOutcomes((prev) => {
      const next = new Map(prev);
      for (const o of run.outcomes) next.set(o.itemId, o);
      return next;
    });
    setProgress({ done: run.outcomes.filter((o) => o.state !== 'pending').length, total: run.total });
    return run.outcomes.some((o) => o.state === 'created' || o.state === 'existing');
  };

  const create = useCallback(
    async (itemIds?: string[]) => {
      const ids = itemIds ?? creatable(items.current).map((i) => i.id);
      // A second click on the same items while the first is running does nothing (the server guards too).
      if (!ids.length || ids.some((id) => inFlight.current.has(id))) return;
      ids.forEach((id) => inFlight.current.add(id));
      setBusy(new Set(inFlight.current));
      setError(undefined);
      setProgress({ done: 0, total: ids.length });
      try {
        let r = await call('createIssues', itemIds ? { itemIds } : {});
        let recorded = false;
        while (r.ok) {
          recorded = record(r.value) || recorded;
          if (r.value.status === 'done') break;
          await new Promise((res) => setTimeout(res, POLL_MS));
          r = await call('getCreateRun', { runId: r.value.runId });
        }
        if (!r.ok) setError(r.error.message);
        if (recorded) await Promise.all([onIssuesRecorded.current(), refresh()]);
      } finally {
        ids.forEach((id) => inFlight.current.delete(id));
        setBusy(new Set(inFlight.current));
        setProgress(undefined);
      }
    },
    [refresh],
  );

  return <Ctx.Provider value={{ live, outcomes, busy, progress, error, liveError, refreshing, create, refresh }}>{props.children}</Ctx.Provider>;
}
