/** The index: filters, one row per postmortem (25 at a time), drafts past due standing out. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { IndexOptions, IndexPageQuery, IndexRow, ItemProgress } from '../../../src/contract/postmortem-index';
import { POSTMORTEM_STATUSES, SEVERITIES, type PostmortemStatus, type Severity } from '../../../src/contract/postmortem';
import { call, formatDate, minutes, navigate, safeUrl, plural } from './format';
import { POSTMORTEM_STATUS_LABEL } from '../../../src/domain/postmortem-defaults';

type Filters = Omit<IndexPageQuery, 'pageToken' | 'pageSize'>;

export function ItemBar({ items }: { items: ItemProgress }) {
  const total = items.done + items.open + items.dropped;
  const onTime = items.open - items.overdue;
  const pct = (n: number) => `${total ? (n / total) * 100 : 0}%`;
  const parts = [
    `${items.created} created`,
    `${items.done} done`,
    ...(items.overdue ? [`${items.overdue} overdue`] : []),
    ...(items.dropped ? [`${items.dropped} dropped`] : []),
    ...(items.proposed ? [`${items.proposed} not triaged`] : []),
  ];
  return (
    <div className="item-progress">
      {total > 0 && (
        <div className="bar" aria-hidden="true">
          <span className="seg done" style={{ width: pct(items.done) }} />
          <span className="seg open" style={{ width: pct(onTime) }} />
          <span className="seg overdue" style={{ width: pct(items.overdue) }} />
          <span className="seg dropped" style={{ width: pct(items.dropped) }} />
        </div>
      )}
      <span className="item-text">{items.created || items.dropped || items.proposed ? parts.join(' · ') : <span className="muted">No action items yet</span>}</span>
      {items.hidden > 0 && <span className="hint hidden-note">{plural(items.hidden, 'issue')} you cannot see</span>}
    </div>
  );
}

function Row({ row, timeZone, dueDays }: { row: IndexRow; timeZone: string; dueDays: number }) {
  return (
    <tr data-key={row.key} className={row.draftOverdue ? 'attention' : undefined}>
      <td className="title-cell">
        <a href={safeUrl(row.url)} onClick={(e) => navigate(e, row.url)}>{row.title}</a>
        <div className="sub">
          <span className="muted">{row.spaceKey}</span>
          {row.tags.map((t) => <span key={t} className="tag">{t}</span>)}
        </div>
      </td>
      <td>
        <span className={`lozenge status-${row.status}`}>{POSTMORTEM_STATUS_LABEL[row.status]}</span>
        <div className="sub nowrap">{row.publishedAt ? formatDate(row.publishedAt, timeZone) : `Updated ${formatDate(row.updatedAt, timeZone)}`}</div>
        {row.draftOverdue && (
          <div className="overdue-note" title={`A postmortem is due ${dueDays} business days after the incident`}>
            Still a draft after {plural(row.draftOverdue.businessDays, 'business day')}
          </div>
        )}
      </td>
      <td><span className={`lozenge sev sev-${row.severity.toLowerCase()}`}>{row.severity}</span></td>
      <td className="nowrap">
        {row.incident ? <a href={safeUrl(row.incident.url)} onClick={(e) => navigate(e, row.incident!.url)}>{row.incident.key}</a> : <span className="muted">—</span>}
        <div className="sub">{formatDate(row.incidentAt, timeZone)}</div>
        {/* issue 16: the workflow gate waived for this incident */}
        {row.gateWaiver && (
          <div className="sub gate-waiver" title={`Waived by ${row.gateWaiver.by} on ${formatDate(row.gateWaiver.at, timeZone)}: ${row.gateWaiver.reason}`}>
            Gate waived by {row.gateWaiver.by}: {row.gateWaiver.reason.length > 60 ? `${row.gateWaiver.reason.slice(0, 60)}…` : row.gateWaiver.reason}
          </div>
        )}
      </td>
      <td className="nowrap">
        <span title="Time to detect">{minutes(row.timeToDetectMinutes)}</span>
        <div className="sub" title="Time to resolve">{minutes(row.timeToResolveMinutes)}</div>
      </td>
      <td>{row.owner ?? <span className="muted">—</span>}</td>
      <td className="nowrap">{row.reviewMeetingAt ? formatDate(row.reviewMeetingAt, timeZone) : <span className="muted">None yet</span>}</td>
      <td className="items-cell"><ItemBar items={row.items} /></td>
    </tr>
  );
}

export function IndexTab({ options, compact = false }: { options: IndexOptions; compact?: boolean }) {
  const [filters, setFilters] = useState<Filters>({});
  const [tagTyped, setTagTyped] = useState('');
  const [rows, setRows] = useState<IndexRow[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    void call('getIndexPage', filters).then((r) => {
      if (mine !== seq.current) return;
      setLoading(false);
      if (r.ok) {
        setRows(r.value.rows);
        setNext(r.value.nextPageToken);
      } else {
        setRows(undefined);
        setError([r.error.message, ...Object.values(r.error.fieldErrors ?? {})].join(' '));
      }
    });
  }, [filters]);

  const more = async () => {
    if (!next) return;
    const mine = ++seq.current;
    setLoading(true);
    const r = await call('getIndexPage', { ...filters, pageToken: next });
    if (mine !== seq.current) return;
    setLoading(false);
    if (r.ok) {
      setRows((prev) => {
        const seen = new Set((prev ?? []).map((x) => x.key));
        return [...(prev ?? []), ...r.value.rows.filter((x) => !seen.has(x.key))];
      });
      setNext(r.value.nextPageToken);
    } else setError(r.error.message);
  };

  const set = (patch: Filters) => setFilters((f) => {
    const merged: Filters = { ...f, ...patch };
    for (const k of Object.keys(merged) as (keyof Filters)[]) if (!merged[k]) delete merged[k];
    return merged;
  });
  const applyTag = (e: FormEvent) => {
    e.preventDefault();
    set({ tag: tagTyped.trim() || undefined });
  };
  const active = Object.keys(filters).length > 0;
  const overdueDrafts = rows?.filter((r) => r.draftOverdue).length ?? 0;

  return (
    <div className={compact ? 'pm-index compact' : undefined}>
      {compact && <h1>Postmortem index</h1>}
      <form className="filters" role="search" aria-label="Filter postmortems" onSubmit={applyTag}>
        <div>
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as PostmortemStatus | undefined })}>
            <option value="">Any status</option>
            {POSTMORTEM_STATUSES.map((s) => <option key={s} value={s}>{POSTMORTEM_STATUS_LABEL[s]}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-severity">Severity</label>
          <select id="f-severity" value={filters.severity ?? ''} onChange={(e) => set({ severity: (e.target.value || undefined) as Severity | undefined })}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-space">Space</label>
          <select id="f-space" value={filters.spaceKey ?? ''} onChange={(e) => set({ spaceKey: e.target.value || undefined })}>
            <option value="">Any space</option>
            {options.spaces.map((s) => <option key={s.key} value={s.key}>{s.name} ({s.key})</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-tag">Service or category tag</label>
          <div className="inline">
            <input id="f-tag" type="text" maxLength={50} value={tagTyped} placeholder="e.g. checkout-api" onChange={(e) => setTagTyped(e.target.value)} />
            <button type="submit">Apply</button>
          </div>
        </div>
        <div>
          <label htmlFor="f-from">Incident between</label>
          <div className="inline dates">
            <input id="f-from" type="date" aria-label="Incident from" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
            <span className="muted">and</span>
            <input id="f-to" type="date" aria-label="Incident to" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
          </div>
        </div>
        {active && (
          <div>
            <button type="button" className="link-button" onClick={() => { setTagTyped(''); setFilters({}); }}>Clear filters</button>
          </div>
        )}
      </form>

      {error && <div className="banner error" role="alert">{error}</div>}
      {rows && (
        <p className="hint" role="status">
          {active ? 'Matching postmortems' : 'Postmortems'}: showing {rows.length}{next ? ' so far' : ''}
          {overdueDrafts > 0 && <> · <span className="attention-text">{plural(overdueDrafts, 'draft')} past due ({options.dueBusinessDays} business days after the incident)</span></>}
        </p>
      )}
      {!rows && loading && <p className="hint">Loading postmortems…</p>}
      {rows && rows.length === 0 && <p className="empty">{active ? 'No postmortem you can see matches these filters.' : 'No postmortems yet. Insert the Postmortem macro on a page, or start one from a Jira incident.'}</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Postmortem</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
                <th scope="col">Incident</th>
                <th scope="col" title="Time to detect / time to resolve">Detect / resolve</th>
                <th scope="col">Owner</th>
                <th scope="col">Review</th>
                <th scope="col">Action items</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => <Row key={r.key} row={r} timeZone={options.timeZone} dueDays={options.dueBusinessDays} />)}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" onClick={() => void more()} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button>
        </p>
      )}
    </div>
  );
}
