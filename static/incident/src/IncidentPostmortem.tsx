/**
 * Start (or open) the postmortem of an incident. On a Jira incident (issue action) the incident comes from
 * the context; on the app's Confluence page the user types its key.
 */
import { useEffect, useState } from 'react';
import { view } from '@forge/bridge';
import type { IncidentPostmortemDefinitions, IncidentPostmortemView } from '../../../src/contract/incident-postmortem';
import { typedInvoke } from '../../shared/invoke';
import { formatDateTime } from '../../shared/dates';
import { navigate, safeUrl } from '../../shared/format';
import { IncidentGate } from './IncidentGate'; // issue 16

const call = typedInvoke<IncidentPostmortemDefinitions>();

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'loaded'; view: IncidentPostmortemView }
  | { kind: 'creating'; view: IncidentPostmortemView }
  | { kind: 'error'; message: string; view?: IncidentPostmortemView };

export function IncidentPostmortem() {
  const [issueKeyFromContext, setIssueKeyFromContext] = useState<string | null | undefined>(undefined);
  const [typedKey, setTypedKey] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });

  const load = async (issueKey?: string) => {
    setState({ kind: 'loading' });
    const r = await call('getIncidentPostmortem', { issueKey });
    setState(r.ok ? { kind: 'loaded', view: r.value } : { kind: 'error', message: r.error.fieldErrors?.issueKey ? `${r.error.message}` : r.error.message });
  };

  useEffect(() => {
    void view.getContext().then((ctx) => {
      const key = (ctx.extension as { issue?: { key?: string } } | undefined)?.issue?.key ?? null;
      setIssueKeyFromContext(key);
      if (key) void load();
    });
  }, []);

  const create = async (current: IncidentPostmortemView) => {
    setState({ kind: 'creating', view: current });
    const r = await call('createPostmortemPage', { issueKey: issueKeyFromContext ? undefined : current.incident.key });
    if (!r.ok) return setState({ kind: 'error', message: r.error.message, view: current });
    setState({ kind: 'loaded', view: { ...current, existing: { pageId: r.value.pageId, title: r.value.title, url: r.value.url } } });
  };

  if (issueKeyFromContext === undefined) return <p>Loading…</p>;
  const current = state.kind === 'loaded' || state.kind === 'creating' ? state.view : state.kind === 'error' ? state.view : undefined;

  return (
    <div>
      {!issueKeyFromContext && (
        <>
          <h1>Start a postmortem</h1>
          <p>Start the blameless postmortem of an incident: a page with the Postmortem template, prefilled from the incident and linked to it.</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void load(typedKey.trim().toUpperCase());
            }}
          >
            <label htmlFor="issueKey">Incident issue key</label>
            <input id="issueKey" type="text" value={typedKey} placeholder="INC-12" onChange={(e) => setTypedKey(e.target.value)} />
            <p>
              <button type="submit" disabled={!typedKey.trim() || state.kind === 'loading'}>Find incident</button>
            </p>
          </form>
        </>
      )}
      {state.kind === 'loading' && <p>Loading the incident…</p>}
      {state.kind === 'error' && <div className="banner error" role="alert">{state.message}</div>}
      {current && (
        <div className="incident">
          <h2>
            {current.incident.key}: {current.incident.summary}
          </h2>
          <p className="hint">
            {current.incident.status}
            {current.incident.resolved ? ` · resolved ${formatDateTime(current.incident.resolved, current.timeZone)} (${current.timeZone})` : ' · not resolved yet'}
            {current.incident.assignee ? ` · owner ${current.incident.assignee}` : ''}
          </p>
          {current.existing ? (
            <div className="banner success" role="status">
              This incident has a postmortem: <a href={safeUrl(current.existing.url)} onClick={(e) => navigate(e, current.existing!.url)}>{current.existing.title}</a>
            </div>
          ) : current.notIncident ? (
            <div className="banner info" role="status">
              {current.notIncident}
            </div>
          ) : (
            <p>
              <button className="primary" type="button" disabled={state.kind === 'creating'} onClick={() => void create(current)}>
                {state.kind === 'creating' ? 'Creating the page…' : `Create postmortem page in ${current.spaceKey}`}
              </button>
            </p>
          )}
          {issueKeyFromContext && !current.notIncident && <IncidentGate timeZone={current.timeZone} />}
        </div>
      )}
    </div>
  );
}
