/** Insights: durations, action-item follow-through, reviews on time and repeat failures — charts first, numbers under them. */
import { useEffect, useRef, useState } from 'react';
import type { DurationInsights, IndexOptions, Insights, InsightsQuery } from '../../../src/contract/postmortem-index';
import { SEVERITIES, type Severity } from '../../../src/contract/postmortem';
import { call, days, formatDate, formatDay, formatMonth, minutes, navigate, safeUrl, percent, plural } from './format';
import { IncidentChart, MonthlyChart, RepeatList, SeverityChart, StackedBar } from './charts';

function Card({ label, value, hint, tone = 'neutral' }: { label: string; value: string; hint: string; tone?: string }) {
  return (
    <div className={`stat tone-${tone}`} data-stat={label}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      <span className="stat-hint">{hint}</span>
    </div>
  );
}

type Stats = DurationInsights['overall'];
/** A row the other duration has no entry for: nothing measured. */
const NO_STATS: Stats = { count: 0, medianMinutes: null, p90Minutes: null };

function StatsRow({ label, d, r, className }: { label: string; d: Stats; r: Stats; className?: string }) {
  return (
    <tr className={className}>
      <th scope="row">{label}</th>
      <td className="num">{d.count}</td>
      <td className="num">{minutes(d.medianMinutes)}</td>
      <td className="num">{minutes(d.p90Minutes)}</td>
      <td className="num">{r.count}</td>
      <td className="num">{minutes(r.medianMinutes)}</td>
      <td className="num">{minutes(r.p90Minutes)}</td>
    </tr>
  );
}

function DurationTable({ caption, detect, resolve, rows }: { caption: string; detect: DurationInsights; resolve: DurationInsights; rows: 'severity' | 'month' }) {
  const lines =
    rows === 'severity'
      ? detect.bySeverity.map((d) => ({ label: d.severity, d: d.stats, r: resolve.bySeverity.find((r) => r.severity === d.severity)?.stats ?? NO_STATS }))
      : detect.byMonth.map((d) => ({ label: formatMonth(d.month), d: d.stats, r: resolve.byMonth.find((r) => r.month === d.month)?.stats ?? NO_STATS })).filter((l) => l.d.count || l.r.count);
  return (
    <table className="grid numbers">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{rows === 'severity' ? 'Severity' : 'Month'}</th>
          <th scope="col" className="num">Incidents (detect)</th>
          <th scope="col" className="num">Median to detect</th>
          <th scope="col" className="num">p90 to detect</th>
          <th scope="col" className="num">Incidents (resolve)</th>
          <th scope="col" className="num">Median to resolve</th>
          <th scope="col" className="num">p90 to resolve</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <StatsRow key={l.label} label={l.label} d={l.d} r={l.r} />
        ))}
        <StatsRow className="total" label="All" d={detect.overall} r={resolve.overall} />
      </tbody>
    </table>
  );
}

export function InsightsTab({ options }: { options: IndexOptions }) {
  const [query, setQuery] = useState<InsightsQuery>({});
  const [data, setData] = useState<Insights | undefined>();
  const [error, setError] = useState<string | undefined>();
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setError(undefined);
    void call('getInsights', query).then((r) => {
      if (mine !== seq.current) return;
      if (r.ok) setData(r.value);
      else setError([r.error.message, ...Object.values(r.error.fieldErrors ?? {})].join(' '));
    });
  }, [query]);

  const set = (patch: InsightsQuery) => setQuery((q) => {
    const merged: InsightsQuery = { ...q, ...patch };
    for (const k of Object.keys(merged) as (keyof InsightsQuery)[]) if (!merged[k]) delete merged[k];
    return merged;
  });

  const tz = options.timeZone;
  const a = data?.actionItems;
  const rv = data?.reviews;
  return (
    <div className="insights">
      <form className="filters" aria-label="Insights range" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="i-from">Incidents from</label>
          <input id="i-from" type="date" value={query.from ?? data?.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
        </div>
        <div>
          <label htmlFor="i-to">to</label>
          <input id="i-to" type="date" value={query.to ?? data?.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
        </div>
        <div>
          <label htmlFor="i-space">Space</label>
          <select id="i-space" value={query.spaceKey ?? ''} onChange={(e) => set({ spaceKey: e.target.value || undefined })}>
            <option value="">Any space</option>
            {options.spaces.map((s) => <option key={s.key} value={s.key}>{s.name} ({s.key})</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="i-severity">Severity</label>
          <select id="i-severity" value={query.severity ?? ''} onChange={(e) => set({ severity: (e.target.value || undefined) as Severity | undefined })}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </form>
      {error && <div className="banner error" role="alert">{error}</div>}
      {!data && !error && <p className="hint">Loading insights…</p>}
      {data && a && rv && (
        <>
          <p className="hint" role="status">
            {plural(data.postmortems, 'postmortem')} you can see, incidents from {formatDay(data.from)} to {formatDay(data.to)} ({data.timeZone}).
            {data.truncated && ' Only the newest are counted: narrow the range for exact figures.'}
          </p>
          <section className="stats" aria-label="Headline figures">
            <Card label="Median time to detect" value={minutes(data.detect.overall.medianMinutes)} hint={`p90 ${minutes(data.detect.overall.p90Minutes)} · ${plural(data.detect.overall.count, 'incident')}`} tone="brand" />
            <Card label="Median time to resolve" value={minutes(data.resolve.overall.medianMinutes)} hint={`p90 ${minutes(data.resolve.overall.p90Minutes)} · ${plural(data.resolve.overall.count, 'incident')}`} tone="brand" />
            <Card label="Action items done" value={percent(a.completionRate)} hint={`${a.done} of ${a.created} created`} tone="success" />
            <Card label="Time to close" value={days(a.timeToClose.medianDays)} hint={`median · p90 ${days(a.timeToClose.p90Days)}`} tone="neutral" />
            <Card label="Open items overdue" value={percent(a.overdueShare)} hint={`${a.overdue} of ${a.open} open`} tone="danger" />
            <Card label="Reviews on time" value={percent(rv.shareOnTime)} hint={`within ${rv.dueBusinessDays} business days`} tone="discovery" />
          </section>

          <div className="panels two">
            <section className="panel" aria-labelledby="h-incidents">
              <h2 id="h-incidents">Each incident</h2>
              <IncidentChart id="incidents-chart" incidents={data.incidents} from={data.from} to={data.to} timeZone={tz} />
            </section>
            <section className="panel" aria-labelledby="h-items">
              <h2 id="h-items">Action items</h2>
              <StackedBar
                id="items-chart"
                title="Action items by state"
                parts={[
                  { label: 'Done', value: a.done, className: 'fill-done' },
                  { label: 'Open, on time', value: a.open - a.overdue, className: 'fill-open' },
                  { label: 'Overdue', value: a.overdue, className: 'fill-overdue' },
                  { label: 'Dropped', value: a.dropped, className: 'fill-dropped' },
                ]}
              />
              <p className="hint">
                {percent(a.completionRate)} of the {a.created} Jira issues you can see are done; they took {days(a.timeToClose.medianDays)} to close (median, p90 {days(a.timeToClose.p90Days)}).
                {a.hidden > 0 && ` ${plural(a.hidden, 'issue')} in projects you cannot browse ${a.hidden === 1 ? 'is' : 'are'} left out.`}
              </p>
              <h2 id="h-reviews">Reviews held within {rv.dueBusinessDays} business days</h2>
              <StackedBar
                id="reviews-chart"
                title="Review meetings against the due date"
                parts={[
                  { label: 'On time', value: rv.onTime, className: 'fill-done' },
                  { label: 'Late or missing', value: rv.late, className: 'fill-overdue' },
                  { label: 'Not due yet', value: rv.pending, className: 'fill-open' },
                ]}
              />
              <p className="hint">Counted from the incident&apos;s resolution to the review meeting, in business days ({data.timeZone}).</p>
            </section>
          </div>

          <div className="panels two">
            <section className="panel" aria-labelledby="h-ttd">
              <h2 id="h-ttd">Time to detect, by month</h2>
              <MonthlyChart id="ttd-month" title="Time to detect by month: median and p90" data={data.detect.byMonth} />
              <SeverityChart id="ttd-severity" title="Time to detect by severity" data={data.detect.bySeverity} />
            </section>
            <section className="panel" aria-labelledby="h-ttr">
              <h2 id="h-ttr">Time to resolve, by month</h2>
              <MonthlyChart id="ttr-month" title="Time to resolve by month: median and p90" data={data.resolve.byMonth} />
              <SeverityChart id="ttr-severity" title="Time to resolve by severity" data={data.resolve.bySeverity} />
            </section>
          </div>

          <section className="panel" aria-labelledby="h-repeats">
            <h2 id="h-repeats">Repeat failures</h2>
            <p className="hint">Postmortems tagged with the same service or failure category, each within {data.repeatWindowDays} days of the one before.</p>
            {data.repeats.length ? <RepeatList groups={data.repeats} timeZone={tz} /> : <p className="empty">No tag came up twice within {data.repeatWindowDays} days.</p>}
          </section>

          <section aria-labelledby="h-numbers" className="numbers-section">
            <h2 id="h-numbers">The numbers</h2>
            <p className="hint">Median: the middle value (the mean of the two middle ones for an even count). p90: the value 9 in 10 incidents did not exceed (nearest rank).</p>
            <DurationTable caption="Time to detect and resolve by severity" detect={data.detect} resolve={data.resolve} rows="severity" />
            <DurationTable caption="Time to detect and resolve by month" detect={data.detect} resolve={data.resolve} rows="month" />
            <table className="grid numbers" id="items-table">
              <caption>Action items</caption>
              <tbody>
                <tr><th scope="row">Jira issues created (that you can see)</th><td className="num">{a.created}</td></tr>
                <tr><th scope="row">Done</th><td className="num">{a.done}</td></tr>
                <tr><th scope="row">Open</th><td className="num">{a.open}</td></tr>
                <tr><th scope="row">Open and overdue</th><td className="num">{a.overdue}</td></tr>
                <tr><th scope="row">Dropped at triage</th><td className="num">{a.dropped}</td></tr>
                <tr><th scope="row">Completion rate (done ÷ created)</th><td className="num">{percent(a.completionRate)}</td></tr>
                <tr><th scope="row">Share of open items overdue</th><td className="num">{percent(a.overdueShare)}</td></tr>
                <tr><th scope="row">Time to close, median / p90</th><td className="num">{days(a.timeToClose.medianDays)} / {days(a.timeToClose.p90Days)}</td></tr>
                <tr><th scope="row">Reviews on time / late / not due yet</th><td className="num">{rv.onTime} / {rv.late} / {rv.pending}</td></tr>
              </tbody>
            </table>
            <table className="grid numbers" id="incidents-table">
              <caption>Per incident{data.incidents.length < data.postmortems ? ` (newest ${data.incidents.length})` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Postmortem</th>
                  <th scope="col">Incident</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">To detect</th>
                  <th scope="col" className="num">To resolve</th>
                </tr>
              </thead>
              <tbody>
                {data.incidents.map((i) => (
                  <tr key={i.key} data-key={i.key}>
                    <td><a href={safeUrl(i.url)} onClick={(e) => navigate(e, i.url)}>{i.title}</a></td>
                    <td>{i.incidentKey ?? <span className="muted">—</span>}</td>
                    <td>{i.severity}</td>
                    <td className="nowrap">{formatDate(i.incidentAt, tz)}</td>
                    <td className="num">{minutes(i.timeToDetectMinutes)}</td>
                    <td className="num">{minutes(i.timeToResolveMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
