import { useEffect, useState } from 'react';
import { SEVERITIES, type PostmortemStatus, type Severity } from '../../../../src/contract/postmortem';
import { canTransition, STATUS_ORDER } from '../../../../src/domain/postmortem-workflow';
import { POSTMORTEM_STATUS_LABEL } from '../../../../src/domain/postmortem-defaults';
import { computeTimelineMetrics, formatDuration } from '../../../../src/domain/timeline';
import { ISSUE_KEY } from '../../../../src/domain/validation';
import { useDoc } from '../doc';
import { PublishPanel } from '../PublishPanel';
import type { SaveState } from '../useAutosave';

export function Header(props: { save: SaveState; onRetry: () => void; readOnly: boolean }) {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const i = STATUS_ORDER.indexOf(pm.status);
  const forward = STATUS_ORDER[i + 1];
  const back = STATUS_ORDER[i - 1];
  const setStatus = (status: PostmortemStatus) => edit((d) => ({ ...d, status }), { immediate: true });

  return (
    <header className="pm-header">
      <div className="title-row">
        <div className="title-field">
          <label htmlFor="pm-title" className="visually-hidden">
            Title
          </label>
          <input id="pm-title" type="text" className="title-input" value={pm.title} disabled={locked} aria-invalid={Boolean(fieldErrors.title)} onChange={(e) => edit((d) => ({ ...d, title: e.target.value }))} />
          {fieldErrors.title && <div className="field-error">{fieldErrors.title}</div>}
        </div>
        {!props.readOnly && <SaveStatus state={props.save} onRetry={props.onRetry} />}
      </div>

      <div className="meta-row">
        <div className="status-group" role="group" aria-label="Status">
          <span className={`lozenge status-${pm.status}`} data-testid="status-lozenge">
            {POSTMORTEM_STATUS_LABEL[pm.status]}
          </span>
          {!locked && back && canTransition(pm.status, back) && (
            <button type="button" className="subtle" onClick={() => setStatus(back)}>
              Back to {POSTMORTEM_STATUS_LABEL[back]}
            </button>
          )}
          {!locked && forward && forward !== 'published' && canTransition(pm.status, forward) && (
            <button type="button" className="primary" onClick={() => setStatus(forward)}>
              Move to {POSTMORTEM_STATUS_LABEL[forward]}
            </button>
          )}
        </div>
        <div className="inline-field">
          <label htmlFor="pm-severity">Severity</label>
          <select id="pm-severity" value={pm.severity} disabled={locked} onChange={(e) => edit((d) => ({ ...d, severity: e.target.value as Severity }))}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <IncidentKey />
      </div>
      <PublishPanel />
      <Metrics />
    </header>
  );
}

/** Kept as typed, stored once it is a key (or empty), so a half-typed key is never saved and refused. */
function IncidentKey() {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const [text, setText] = useState(pm.incidentKey ?? '');
  useEffect(() => {
    setText((t) => ((t.trim().toUpperCase() || null) === pm.incidentKey ? t : (pm.incidentKey ?? '')));
  }, [pm.incidentKey]);
  const normalized = text.trim().toUpperCase();
  const valid = normalized === '' || ISSUE_KEY.test(normalized);
  return (
    <div className="inline-field">
      <label htmlFor="pm-incident-key">Incident key</label>
      <input
        id="pm-incident-key"
        type="text"
        className="short"
        placeholder={locked ? '—' : 'INC-42'}
        value={text}
        disabled={locked}
        aria-invalid={!valid || Boolean(fieldErrors.incidentKey)}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim().toUpperCase();
          if (n === '' || ISSUE_KEY.test(n)) edit((d) => ({ ...d, incidentKey: n || null }));
        }}
      />
      {!valid && <div className="field-error">Use a Jira issue key such as INC-42.</div>}
    </div>
  );
}

function Metrics() {
  const { pm } = useDoc();
  const m = computeTimelineMetrics(pm.timeline);
  const figure = (label: string, ms: number | null, missing: string) => (
    <div className="metric" key={label}>
      <dt>{label}</dt>
      <dd aria-label={label} title={ms == null ? missing : undefined}>
        {ms == null ? '—' : formatDuration(ms)}
      </dd>
    </div>
  );
  return (
    <div className="metrics-wrap">
      <dl className="metrics" aria-label="Incident durations">
        {figure('Time to detect', m.timeToDetectMs, 'Needs an initial failure and a detection entry with times.')}
        {figure('Time to respond', m.timeToRespondMs, 'Needs a detection and a response entry with times.')}
        {figure('Time to mitigate', m.timeToMitigateMs, 'Needs an initial failure and a remediation entry with times.')}
        {figure('Time to resolve', m.timeToResolveMs, 'Needs an initial failure and a resolution entry with times.')}
      </dl>
      {m.warnings.length > 0 && (
        <ul className="warnings" aria-label="Timeline warnings">
          {m.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!m.startedAt && pm.timeline.length > 0 && <p className="hint">Mark the entry where the failure began as “Initial failure” to compute time to detect, mitigate and resolve.</p>}
    </div>
  );
}

function SaveStatus(props: { state: SaveState; onRetry: () => void }) {
  const s = props.state;
  const text =
    s.kind === 'saved'
      ? 'All changes saved'
      : s.kind === 'saving'
        ? 'Saving…'
        : s.kind === 'dirty'
          ? 'Unsaved changes'
          : s.kind === 'error'
            ? `Save failed: ${s.message} — your text is kept`
            : 'Conflict';
  return (
    <div id="pm-save-status" tabIndex={-1} className={`save-status save-${s.kind}`} role="status" aria-live="polite" data-testid="save-status">
      <span>{text}</span>
      {s.kind === 'error' && (
        <button type="button" className="subtle" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
