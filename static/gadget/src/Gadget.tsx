/**
 * The *Postmortem follow-through* dashboard gadget: the view (counts by reason, the oldest items with their
 * age, postmortems overdue — what the viewer may see) and, when Jira opens it with `entryPoint: 'edit'`, the
 * edit view (projects or a saved filter, which reasons, how many rows), which submits the configuration to
 * Jira with `view.submit`. The configuration is checked by the resolver before it is submitted, and again on
 * every view (anyone who may edit the dashboard can write it).
 */
import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { router, view } from '@forge/bridge';
import type { GadgetConfig, GadgetDefinitions, GadgetEditOptions, GadgetView } from '../../../src/contract/gadget';
import { GADGET_MAX_ROWS, GADGET_REASONS } from '../../../src/contract/gadget';
import type { ReportReason } from '../../../src/contract/report';
import type { UserFacingError } from '../../../src/contract/result';
import { typedInvoke } from '../../shared/invoke';
import { formatDay, plural, safeUrl } from '../../shared/format';

const call = typedInvoke<GadgetDefinitions>();

const REASON_LABELS: Record<ReportReason, string> = { overdue: 'Overdue', unassigned: 'Unassigned', unprioritized: 'Unprioritized', stale: 'Stale' };

export function Gadget() {
  const [mode, setMode] = useState<'view' | 'edit' | null>(null);
  useEffect(() => {
    void view.getContext().then((ctx) => setMode((ctx.extension as { entryPoint?: string } | undefined)?.entryPoint === 'edit' ? 'edit' : 'view'));
  }, []);
  if (!mode) return <p role="status">Loading…</p>;
  return <div className="gadget">{mode === 'edit' ? <EditView /> : <ViewMode />}</div>;
}

/** Issue links open the issue in Jira (the host navigates; a plain link would load inside the frame). */
function openLink(e: MouseEvent, url: string) {
  e.preventDefault();
  const safe = safeUrl(url);
  if (safe) void router.navigate(safe);
}

function ViewMode() {
  const [data, setData] = useState<GadgetView | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  useEffect(() => {
    void call('getGadgetView').then((r) => (r.ok ? setData(r.value) : setError(r.error)));
  }, []);
  if (error) return <p role="alert" className="error">{error.message}</p>;
  if (!data) return <p role="status">Loading the follow-through…</p>;
  if (!data.configured) return <p role="status">This gadget is not configured yet: the dashboard’s owner can configure it (projects or a saved filter, reasons, rows).</p>;
  const { counts, config } = data;
  return (
    <>
      <p className="gadget-scope" role="status">
        {data.scopeLabel} · {plural(counts.open, 'open action item')}, {counts.attention} needing attention
      </p>
      <ul className="gadget-counts" aria-label="Open action items by reason">
        {config.reasons.map((r) => (
          <li key={r} data-reason={r}>
            <span className="count-value">{counts[r]}</span> <span className="count-label">{REASON_LABELS[r]}</span>
          </li>
        ))}
      </ul>
      <h2 id="oldest-heading">Oldest items needing attention</h2>
      {data.oldest.length ? (
        <table aria-labelledby="oldest-heading">
          <thead>
            <tr><th scope="col">Issue</th><th scope="col">Summary</th><th scope="col">Age</th><th scope="col">Why</th></tr>
          </thead>
          <tbody>
            {data.oldest.map((item) => (
              <tr key={item.key} data-key={item.key}>
                <td><a href={safeUrl(item.url) ?? '#'} onClick={(e) => openLink(e, item.url)}>{item.key}</a></td>
                <td>{item.summary}</td>
                <td className="nowrap">{plural(item.ageDays, 'day')}</td>
                <td>{item.reasons.map((r) => REASON_LABELS[r]).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Nothing needs attention for these reasons.</p>
      )}
      <h2 id="overdue-heading">Postmortems overdue</h2>
      {data.overduePostmortems === null ? (
        <p className="muted">Jira could not run the app’s incident search for you.</p>
      ) : data.overduePostmortems.length ? (
        <ul aria-labelledby="overdue-heading" className="overdue-postmortems">
          {data.overduePostmortems.map((pm) => (
            <li key={pm.incidentKey} data-incident={pm.incidentKey}>
              <a href={safeUrl(pm.url) ?? '#'} onClick={(e) => openLink(e, pm.url)}>{pm.incidentKey}</a> {pm.summary} — resolved {formatDay(pm.resolvedOn)},{' '}
              {plural(pm.businessDays, 'business day')} ago (due within {data.postmortemDueBusinessDays}); {pm.postmortem === 'none' ? 'no postmortem yet' : 'postmortem not published yet'}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No postmortem is overdue.</p>
      )}
    </>
  );
}

function EditView() {
  const [options, setOptions] = useState<GadgetEditOptions | null>(null);
  const [config, setConfig] = useState<GadgetConfig | null>(null);
  const [rowsText, setRowsText] = useState('');
  const [error, setError] = useState<UserFacingError | null>(null);
  const [status, setStatus] = useState('Loading the options…');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    void call('getGadgetEditOptions').then((r) => {
      if (!r.ok) return setError(r.error), setStatus('');
      setOptions(r.value);
      setConfig(r.value.config);
      setRowsText(String(r.value.config.rows));
      setStatus('');
    });
  }, []);
  if (!options || !config) return error ? <p role="alert" className="error">{error.message}</p> : <p role="status">{status}</p>;

  const fieldError = (path: string) => error?.fieldErrors?.[path] ?? error?.fieldErrors?.[`config.${path}`];
  const scopeKind = config.scope.kind;
  const projectKeys = config.scope.kind === 'projects' ? config.scope.projectKeys : [];
  const toggleProject = (key: string, on: boolean) => setConfig({ ...config, scope: { kind: 'projects', projectKeys: on ? [...projectKeys, key] : projectKeys.filter((k) => k !== key) } });
  const toggleReason = (r: ReportReason, on: boolean) => setConfig({ ...config, reasons: GADGET_REASONS.filter((x) => (x === r ? on : config.reasons.includes(x))) });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setStatus('Checking…');
    const next = { ...config, rows: Number(rowsText) };
    const checked = await call('checkGadgetConfig', { config: next });
    if (!checked.ok) {
      setError(checked.error);
      setStatus('');
      setSaving(false);
      return;
    }
    setError(null);
    setStatus('Saving…');
    await view.submit(checked.value);
  };

  const rowsError = fieldError('rows');
  const projectsError = fieldError('scope.projectKeys');
  const filterError = fieldError('scope.filterId');
  const reasonsError = fieldError('reasons');
  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-label="Configure the gadget">
      <fieldset>
        <legend>Items from</legend>
        <label className="checkbox"><input type="radio" name="scope" checked={scopeKind === 'projects'} onChange={() => setConfig({ ...config, scope: { kind: 'projects', projectKeys: [] } })} /> Projects</label>
        <label className="checkbox"><input type="radio" name="scope" checked={scopeKind === 'filter'} disabled={!options.filters.length} onChange={() => setConfig({ ...config, scope: { kind: 'filter', filterId: options.filters[0]?.id ?? '' } })} /> A saved filter</label>
      </fieldset>
      {config.scope.kind === 'projects' ? (
        <fieldset aria-describedby="projects-hint" aria-invalid={projectsError ? true : undefined}>
          <legend>Projects</legend>
          {options.projects.map((p) => (
            <label key={p.key} className="checkbox"><input type="checkbox" checked={projectKeys.includes(p.key)} onChange={(e) => toggleProject(p.key, e.target.checked)} /> {p.name} ({p.key})</label>
          ))}
          <p className="hint" id="projects-hint">None ticked: every project the app covers. Each viewer sees only the projects they may browse.</p>
          {projectsError && <p className="field-error" role="alert">{projectsError}</p>}
        </fieldset>
      ) : (
        <>
          <label htmlFor="gadget-filter">Saved filter</label>
          <select id="gadget-filter" value={config.scope.filterId} aria-invalid={filterError ? true : undefined} onChange={(e) => setConfig({ ...config, scope: { kind: 'filter', filterId: e.target.value } })}>
            {options.filters.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
          <p className="hint">Viewers who may not see the filter see a message instead of its items.</p>
          {filterError && <p className="field-error" role="alert">{filterError}</p>}
        </>
      )}
      <fieldset aria-invalid={reasonsError ? true : undefined}>
        <legend>Reasons</legend>
        {GADGET_REASONS.map((r) => (
          <label key={r} className="checkbox"><input type="checkbox" checked={config.reasons.includes(r)} onChange={(e) => toggleReason(r, e.target.checked)} /> {REASON_LABELS[r]}</label>
        ))}
        {reasonsError && <p className="field-error" role="alert">{reasonsError}</p>}
      </fieldset>
      <label htmlFor="gadget-rows">Oldest items to list (1–{GADGET_MAX_ROWS})</label>
      <input id="gadget-rows" type="number" min={1} max={GADGET_MAX_ROWS} value={rowsText} aria-invalid={rowsError ? true : undefined} aria-describedby={rowsError ? 'rows-error' : undefined} onChange={(e) => setRowsText(e.target.value)} />
      {rowsError && <p className="field-error" id="rows-error">{rowsError}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving && !error}>Save</button>
        <button type="button" onClick={() => void view.close()}>Cancel</button>
      </div>
      <p role="status">{status}</p>
      {error && !error.fieldErrors && <p role="alert" className="error">{error.message}</p>}
    </form>
  );
}
