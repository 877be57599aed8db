/**
 * The follow-through report: on a Jira project page (that project) and as a Confluence page (every project in
 * scope, with a project picker). Counts and the aging chart come from Jira's counts; the table loads 50 rows
 * at a time. Everything is what the viewer may see.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReportDefinitions, ReportReason, ReportReasonFilter, ReportRow, ReportSummary } from '../../../src/contract/report';
import { typedInvoke } from '../../shared/invoke';
import { formatDate, formatDateTime, formatDay, navigate, plural, safeUrl } from '../../shared/format';
import { AgingChart } from './AgingChart';
import { GROUPINGS, groupRows, type Grouping } from './groups';

const call = typedInvoke<ReportDefinitions>();

const REASON_LABELS: Record<ReportReason, string> = { overdue: 'Overdue', unassigned: 'Unassigned', unprioritized: 'Unprioritized', stale: 'Stale' };
const FILTERS: { value: ReportReasonFilter | ''; label: string }[] = [
  { value: '', label: 'All open items' },
  { value: 'any', label: 'Needs attention (any reason)' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'unprioritized', label: 'Unprioritized' },
  { value: 'stale', label: 'Stale' },
];

interface Rows {
  rows: ReportRow[];
  nextPageToken: string | null;
  asOf: string;
}


function CountCard(props: { label: string; count: number | undefined; hint: string; tone: string; active: boolean; onClick: () => void }) {
  return (
    <button type="button" className={`count-card tone-${props.tone}`} aria-pressed={props.active} onClick={props.onClick}>
      <span className="count-value">{props.count ?? '–'}</span>
      <span className="count-label">{props.label}</span>
      <span className="count-hint">{props.hint}</span>
    </button>
  );
}

function ReasonBadges({ row }: { row: ReportRow }) {
  if (!row.reasons.length) return <span className="muted">On track</span>;
  return (
    <span className="badges">
      {row.reasons.map((r, i) => (
        <span key={r} className={`lozenge reason-${r}`} title={row.reasonText[i]}>
          {REASON_LABELS[r]}
        </span>
      ))}
    </span>
  );
}

/** `timeZone`: the site's (the settings'), in which instants are shown as dates. */
function ItemRow({ row, timeZone }: { row: ReportRow; timeZone: string }) {
  const formatInstant = (iso: string) => formatDate(iso, timeZone);
  return (
    <tr data-key={row.key}>
      <td className="nowrap">
        <a href={safeUrl(row.url)} onClick={(e) => navigate(e, row.url)}>
          {row.key}
        </a>
      </td>
      <td className="summary">{row.summary}</td>
      <td>
        {row.postmortem?.url ? (
          <a href={safeUrl(row.postmortem.url)} onClick={(e) => navigate(e, row.postmortem!.url!)}>
            {row.postmortem.title}
          </a>
        ) : row.postmortem ? (
          row.postmortem.title
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>{row.assignee ? row.assignee.displayName : row.team ? <span>Team {row.team}</span> : <span className="muted">Unassigned</span>}</td>
      <td>{row.priority ?? <span className="muted">None</span>}</td>
      <td className={`nowrap${row.reasons.includes('overdue') ? ' overdue' : ''}`}>{row.dueDate ? formatDay(row.dueDate) : <span className="muted">—</span>}</td>
      <td className="num">{row.ageDays} d</td>
      <td className="nowrap" title={`Last change or comment by a person; the app's follow-up comments do not count (last update of any kind: ${formatInstant(row.updated)})`}>
        {formatInstant(row.lastHumanActivity)}
      </td>
      <td>
        <ReasonBadges row={row} />
      </td>
      <td className="num" title={row.followUps.lastAt ? `Last on ${formatInstant(row.followUps.lastAt)}` : undefined}>
        {row.followUps.count || <span className="muted">0</span>}
      </td>
    </tr>
  );
}

export function Report() {
  const [project, setProject] = useState('');
  const [reason, setReason] = useState<ReportReasonFilter | ''>('');
  const [typed, setTyped] = useState('');
  const [text, setText] = useState('');
  const [grouping, setGrouping] = useState<Grouping>('none');
  const [summary, setSummary] = useState<ReportSummary | undefined>();
  const [summaryError, setSummaryError] = useState<string | undefined>();
  const [rows, setRows] = useState<Rows | undefined>();
  const [rowsError, setRowsError] = useState<string | undefined>();
  const [loadingRows, setLoadingRows] = useState(false);
  const summarySeq = useRef(0);
  const rowsSeq = useRef(0);

  const projectKey = project || undefined;

  useEffect(() => {
    const seq = ++summarySeq.current;
    setSummaryError(undefined);
    void call('getReportSummary', { projectKey }).then((r) => {
      if (seq !== summarySeq.current) return;
      if (r.ok) setSummary(r.value);
      else setSummaryError(r.error.message);
    });
  }, [projectKey]);

  useEffect(() => {
    const seq = ++rowsSeq.current;
    setLoadingRows(true);
    setRowsError(undefined);
    void call('getReportPage', { projectKey, reason: reason || undefined, text: text || undefined }).then((r) => {
      if (seq !== rowsSeq.current) return;
      setLoadingRows(false);
      if (r.ok) setRows({ rows: r.value.rows, nextPageToken: r.value.nextPageToken, asOf: r.value.asOf });
      else {
        setRows(undefined);
        setRowsError(r.error.fieldErrors?.text ? `${r.error.message} ${r.error.fieldErrors.text}` : r.error.message);
      }
    });
  }, [projectKey, reason, text]);

  const loadMore = async () => {
    if (!rows?.nextPageToken) return;
    const seq = ++rowsSeq.current;
    setLoadingRows(true);
    const r = await call('getReportPage', { projectKey, reason: reason || undefined, text: text || undefined, pageToken: rows.nextPageToken, asOf: rows.asOf });
    if (seq !== rowsSeq.current) return;
    setLoadingRows(false);
    if (r.ok) setRows({ rows: [...rows.rows, ...r.value.rows], nextPageToken: r.value.nextPageToken, asOf: rows.asOf });
    else setRowsError(r.error.message);
  };

  const search = (e: FormEvent) => {
    e.preventDefault();
    setText(typed.trim());
  };

  const counts = summary?.counts;
  const rules = summary?.rules;
  const toggle = (value: ReportReasonFilter | '') => setReason((current) => (current === value ? '' : value));
  const staleHint = rules ? `No change or comment by a person for ${rules.staleAfterDays} ${rules.businessDaysOnly ? 'business ' : ''}days` : '';
  const filterLabel = FILTERS.find((f) => f.value === reason)?.label ?? '';
  const scopeText = summary?.project
    ? `in ${summary.project.name} (${summary.project.key})`
    : summary
      ? 'across every project in scope'
      : '';
  const groups = rows ? groupRows(rows.rows, grouping) : [];
  const total = reason === '' ? counts?.open : reason === 'any' ? counts?.attention : counts?.[reason];

  return (
    <main className="report">
      <header className="report-header">
        <div>
          <h1>Postmortem follow-through</h1>
          <p className="hint">
            Open action items from postmortems {scopeText} that you can see
            {summary ? ` · as of ${formatDateTime(summary.asOf, summary.rules.timeZone)} (${summary.rules.timeZone})` : ''}
          </p>
        </div>
        {summary && !summary.projectFixed && (
          <div className="project-picker">
            <label htmlFor="project">Project</label>
            <select id="project" value={project} onChange={(e) => setProject(e.target.value)}>
              <option value="">All projects</option>
              {summary.projects.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name} ({p.key})
                </option>
              ))}
            </select>
          </div>
        )}
      </header>

      {summaryError && <div className="banner error" role="alert">{summaryError}</div>}
      {summary?.outOfScope && (
        <div className="banner info" role="status">
          {summary.project?.key} is not among the projects the follow-through covers. A Jira administrator can add it in the app&apos;s settings.
        </div>
      )}

      <section aria-label="Open action items by reason" className="cards">
        <CountCard label="Open" count={counts?.open} hint="All open action items" tone="neutral" active={reason === ''} onClick={() => setReason('')} />
        <CountCard label="Need attention" count={counts?.attention} hint="At least one reason" tone="brand" active={reason === 'any'} onClick={() => toggle('any')} />
        <CountCard label="Overdue" count={counts?.overdue} hint="Past their due date" tone="danger" active={reason === 'overdue'} onClick={() => toggle('overdue')} />
        <CountCard label="Unassigned" count={counts?.unassigned} hint="Nobody assigned" tone="warning" active={reason === 'unassigned'} onClick={() => toggle('unassigned')} />
        <CountCard label="Unprioritized" count={counts?.unprioritized} hint={rules ? capitalize(rules.unprioritized) : ''} tone="discovery" active={reason === 'unprioritized'} onClick={() => toggle('unprioritized')} />
        <CountCard label="Stale" count={counts?.stale} hint={staleHint} tone="subtle" active={reason === 'stale'} onClick={() => toggle('stale')} />
      </section>

      <div className="panels">
        <section className="panel" aria-labelledby="aging-heading">
          <h2 id="aging-heading">Age of open items</h2>
          {summary ? <AgingChart aging={summary.aging} /> : <p className="hint">Loading…</p>}
        </section>
        <section className="panel about" aria-labelledby="about-heading">
          <h2 id="about-heading">How items are flagged</h2>
          <ul className="rules">
            <li><span className="lozenge reason-overdue">Overdue</span> due date before today{rules ? ` (${rules.timeZone})` : ''}</li>
            <li><span className="lozenge reason-unassigned">Unassigned</span> no assignee, even when a team owns it</li>
            <li><span className="lozenge reason-unprioritized">Unprioritized</span> {rules?.unprioritized ?? '…'}</li>
            <li><span className="lozenge reason-stale">Stale</span> {staleHint ? `${staleHint.toLowerCase()} (the app\u2019s own follow-up comments do not count)` : '…'}</li>
          </ul>
          <p className="hint">The same rules decide the gentle follow-up comments. Counts are Jira&apos;s approximate counts.</p>
        </section>
      </div>

      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Action items</h2>
        <form className="filters" onSubmit={search} role="search">
          <div>
            <label htmlFor="reason">Show</label>
            <select id="reason" value={reason} onChange={(e) => setReason(e.target.value as ReportReasonFilter | '')}>
              {FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="grow">
            <label htmlFor="text">Summary contains</label>
            <div className="search">
              <input id="text" type="text" value={typed} maxLength={200} placeholder="e.g. runbook" onChange={(e) => setTyped(e.target.value)} />
              <button type="submit">Search</button>
              {text && (
                <button type="button" onClick={() => { setTyped(''); setText(''); }}>
                  Clear
                </button>
              )}
            </div>
          </div>
          <div>
            <label htmlFor="group">Group by</label>
            <select id="group" value={grouping} onChange={(e) => setGrouping(e.target.value as Grouping)}>
              {GROUPINGS.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </select>
          </div>
        </form>

        {rowsError && <div className="banner error" role="alert">{rowsError}</div>}
        {rows && (
          <p className="hint" role="status">
            {filterLabel}
            {text ? ` matching “${text}”` : ''}: showing {rows.rows.length}
            {!text && total !== undefined && total >= rows.rows.length ? ` of ${total}` : ''}
            {grouping !== 'none' ? ` · grouped over the ${plural(rows.rows.length, 'loaded item')}` : ''}
          </p>
        )}
        {!rows && loadingRows && <p className="hint">Loading action items…</p>}
        {rows && rows.rows.length === 0 && <p className="empty">No open action items here. Nothing to follow up.</p>}
        {rows && rows.rows.length > 0 && (
          <div className="table-wrap">
            <table className="items">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Summary</th>
                  <th scope="col">Postmortem</th>
                  <th scope="col">Assignee</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">Age</th>
                  <th scope="col" title="The last change or comment by a person: the app's own follow-up comments do not count">Updated by a person</th>
                  <th scope="col">Reasons</th>
                  <th scope="col" className="num" title="Follow-up comments sent">Follow-ups</th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.key}>
                  {grouping !== 'none' && (
                    <tr className="group-row">
                      <th scope="colgroup" colSpan={10}>
                        {g.label} <span className="muted">· {plural(g.rows.length, 'item')}</span>
                      </th>
                    </tr>
                  )}
                  {g.rows.map((r) => (
                    <ItemRow key={r.key} row={r} timeZone={summary?.rules.timeZone ?? 'UTC'} />
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
        {rows?.nextPageToken && (
          <p>
            <button type="button" onClick={() => void loadMore()} disabled={loadingRows}>
              {loadingRows ? 'Loading…' : 'Load more'}
            </button>
          </p>
        )}
      </section>
    </main>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
