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
/** While items still wait for an issue, how often a visible tab looks whether a run elsewhere made them. */
const WATCH_MS = 30_000;

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
  /** Issues the last run found already made for items this tab still offered to create (by someone else, or another tab). */
  foundExisting: { itemId: string; issueKey: string }[];
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
  /** Called instead when the run named every issue (key and id): the links are taken in without a reload. */
  onIssueLinks: (links: { itemId: string; key: string; id: string }[]) => void;
  /** The live state loaded with the document: the first look needs no call of its own. */
  initialLive?: LiveIssue[];
  children: ReactNode;
}) {
  const [live, setLive] = useState(() => new Map((props.initialLive ?? []).map((l) => [l.itemId, l])));
  const seeded = useRef(props.initialLive !== undefined);
  const [outcomes, setOutcomes] = useState(new Map<string, ItemOutcome>());
  const [busy, setBusy] = useState(new Set<string>());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [liveError, setLiveError] = useState<string | undefined>();
  const [refreshing, setRefreshing] = useState(false);
  const [foundExisting, setFoundExisting] = useState<{ itemId: string; issueKey: string }[]>([]);
  const inFlight = useRef(new Set<string>());
  const onIssuesRecorded = useRef(props.onIssuesRecorded);
  onIssuesRecorded.current = props.onIssuesRecorded;
  const onIssueLinks = useRef(props.onIssueLinks);
  onIssueLinks.current = props.onIssueLinks;
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

  const waiting = creatable(props.items).length > 0;
  useEffect(() => {
    if (hasIssues && !seeded.current) void refresh();
    seeded.current = false;
    // Coming back to the tab (say, after moving an issue in Jira, or creating the issues in another tab) shows
    // the new state: the issue links recorded meanwhile, and their live status.
    const catchUp = () => {
      if (document.visibilityState !== 'visible' || inFlight.current.size) return;
      if (waiting) void onIssuesRecorded.current();
      if (hasIssues) void refresh();
    };
    document.addEventListener('visibilitychange', catchUp);
    window.addEventListener('focus', catchUp);
    // A run finished by someone else while this tab stays open: picked up within WATCH_MS.
    const timer = waiting ? setInterval(() => document.visibilityState === 'visible' && !inFlight.current.size && void onIssuesRecorded.current(), WATCH_MS) : undefined;
    return () => {
      document.removeEventListener('visibilitychange', catchUp);
      window.removeEventListener('focus', catchUp);
      if (timer) clearInterval(timer);
    };
  }, [hasIssues, waiting, refresh]);

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
      setFoundExisting([]);
      setProgress({ done: 0, total: ids.length });
      try {
        // The ids this tab offers: items that already got an issue elsewhere come back as 'existing' with their key.
        let r = await call('createIssues', { itemIds: ids });
        let recorded = false;
        const links = new Map<string, { itemId: string; key: string; id?: string }>();
        while (r.ok) {
          recorded = record(r.value) || recorded;
          for (const o of r.value.outcomes) if (o.state === 'created' || o.state === 'existing') links.set(o.itemId, { itemId: o.itemId, key: o.issueKey, id: o.issueId });
          const existing = r.value.outcomes.flatMap((o) => (o.state === 'existing' ? [{ itemId: o.itemId, issueKey: o.issueKey }] : []));
          if (existing.length) setFoundExisting(existing);
          if (r.value.status === 'done') break;
          await new Promise((res) => setTimeout(res, POLL_MS));
          r = await call('getCreateRun', { runId: r.value.runId });
        }
        if (!r.ok) setError(r.error.message);
        if (recorded) {
          const named = [...links.values()].filter((l): l is { itemId: string; key: string; id: string } => Boolean(l.id));
          if (named.length === links.size) onIssueLinks.current(named);
          await Promise.all([named.length === links.size ? undefined : onIssuesRecorded.current(), refresh()]);
        }
      } finally {
        ids.forEach((id) => inFlight.current.delete(id));
        setBusy(new Set(inFlight.current));
        setProgress(undefined);
      }
    },
    [refresh],
  );

  return <Ctx.Provider value={{ live, outcomes, busy, progress, error, liveError, foundExisting, refreshing, create, refresh }}>{props.children}</Ctx.Provider>;
}
