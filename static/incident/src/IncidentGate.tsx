/**
 * issue 16: the workflow gate on this incident — whether a transition guarded by the "Postmortem published"
 * validator would pass now, the waiver if any, and, for Jira administrators, a waiver with a reason.
 */
import { useEffect, useState } from 'react';
import type { IncidentGateView, IncidentPostmortemDefinitions } from '../../../src/contract/incident-postmortem';
import { typedInvoke } from '../../shared/invoke';
import { formatDateTime } from '../../shared/dates';

const call = typedInvoke<IncidentPostmortemDefinitions>();

export function IncidentGate(props: { timeZone: string }) {
  const [gate, setGate] = useState<IncidentGateView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void call('getIncidentGate', {}).then((r) => (r.ok ? setGate(r.value) : setError(r.error.message)));
  }, []);

  const waive = async () => {
    setSaving(true);
    const r = await call('waiveIncidentGate', { reason });
    setSaving(false);
    if (r.ok) {
      setGate(r.value);
      setReasonError(undefined);
      setError(undefined);
    } else if (r.error.fieldErrors?.reason) setReasonError(r.error.fieldErrors.reason);
    else setError(r.error.message);
  };

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (!gate) return <p className="hint">Checking the postmortem gate…</p>;
  return (
    <section className="incident-gate" aria-labelledby="gate-heading">
      <h3 id="gate-heading">Postmortem gate</h3>
      <p className="hint" id="gate-state">
        {gate.state === 'not-gated' && `${gate.severity}: below the gate (${gate.threshold} and above need a published postmortem).`}
        {gate.state === 'published' && `${gate.severity}: the postmortem is published, so guarded transitions are allowed.`}
        {gate.state === 'waived' && `${gate.severity}: the gate is waived for this incident.`}
        {gate.state === 'blocked' && `${gate.severity}: transitions guarded by “Postmortem published” are refused until the postmortem is published.`}
      </p>
      {gate.waiver && (
        <div className="banner info" role="status" id="gate-waiver">
          Waived by {gate.waiver.displayName} on {formatDateTime(gate.waiver.waivedAt, props.timeZone)} ({props.timeZone}): {gate.waiver.reason}
        </div>
      )}
      {gate.state === 'blocked' && gate.canWaive && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void waive();
          }}
        >
          <label htmlFor="waiver-reason">Waive the gate for {gate.issueKey} (Jira administrators): reason</label>
          <textarea id="waiver-reason" rows={2} value={reason} aria-invalid={Boolean(reasonError)} onChange={(e) => setReason(e.target.value)} />
          {reasonError && <div className="field-error" id="waiver-reason-error">{reasonError}</div>}
          <p>
            <button type="submit" disabled={saving}>{saving ? 'Waiving…' : 'Waive the postmortem gate'}</button>
          </p>
        </form>
      )}
    </section>
  );
}
