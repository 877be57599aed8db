/**
 * Inline SVG charts in Atlassian design tokens. Every chart has a title and a text description (for screen
 * readers and tests); the numbers behind each are in the tables under them.
 */
import type { DurationInsights, DurationStats, IncidentTimes, RepeatGroup } from '../../../src/contract/postmortem-index';
import { SEVERITIES, type Severity } from '../../../src/contract/postmortem';
import { formatDate, formatMonth, minutes, navigate, safeUrl } from './format';

const SEV_CLASS: Record<Severity, string> = { SEV1: 'sev1', SEV2: 'sev2', SEV3: 'sev3', SEV4: 'sev4' };

function niceMax(v: number): number {
  if (v <= 0) return 60;
  const steps = [5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200];
  return steps.find((s) => s >= v) ?? Math.ceil(v / 43200) * 43200;
}

const describe = (s: DurationStats) => (s.count ? `median ${minutes(s.medianMinutes)}, p90 ${minutes(s.p90Minutes)} over ${s.count}` : 'no incidents');

/** Median per month as bars, p90 as a tick above each; empty months stay empty. */
export function MonthlyChart({ id, title, data: all }: { id: string; title: string; data: DurationInsights['byMonth'] }) {
  // From the first month with an incident (a long range with a recent history would squeeze the bars), at least 6 months.
  const first = all.findIndex((d) => d.stats.count > 0);
  const data = first < 0 ? all.slice(-6) : all.slice(Math.max(0, Math.min(first, all.length - 6)));
  const W = 640;
  const H = 190;
  const left = 56;
  const bottom = 26;
  const top = 10;
  const max = niceMax(Math.max(0, ...data.map((d) => d.stats.p90Minutes ?? 0)));
  const plotH = H - bottom - top;
  const slot = (W - left - 8) / Math.max(1, data.length);
  const y = (m: number) => top + plotH - (m / max) * plotH;
  const ticks = [0, max / 2, max];
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{data.filter((d) => d.stats.count).map((d) => `${d.month}: ${describe(d.stats)}`).join('; ') || 'No incidents with these times in range.'}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={W - 4} y1={y(t)} y2={y(t)} className="gridline" />
            <text x={left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className="axis">{minutes(t)}</text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = left + i * slot;
          const bw = Math.max(4, Math.min(36, slot * 0.6));
          const cx = x + slot / 2;
          const showLabel = data.length <= 13 || i % Math.ceil(data.length / 12) === 0;
          return (
            <g key={d.month} data-month={d.month}>
              {d.stats.medianMinutes != null && <rect x={cx - bw / 2} y={y(d.stats.medianMinutes)} width={bw} height={Math.max(1, y(0) - y(d.stats.medianMinutes))} rx={2} className="bar-median" />}
              {d.stats.p90Minutes != null && (
                <>
                  <line x1={cx} x2={cx} y1={y(d.stats.p90Minutes)} y2={y(d.stats.medianMinutes ?? 0)} className="p90-stem" />
                  <line x1={cx - bw / 2} x2={cx + bw / 2} y1={y(d.stats.p90Minutes)} y2={y(d.stats.p90Minutes)} className="p90-tick" />
                </>
              )}
              {showLabel && <text x={cx} y={H - 8} textAnchor="middle" className="axis">{formatMonth(d.month, true)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span><i className="key bar-median-key" /> median</span>
        <span><i className="key p90-key" /> p90 (9 in 10 incidents were faster)</span>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars per severity: median bar, p90 marker. */
export function SeverityChart({ id, title, data }: { id: string; title: string; data: DurationInsights['bySeverity'] }) {
  const W = 360;
  const row = 30;
  const left = 52;
  const right = 86;
  const H = data.length * row + 6;
  const max = niceMax(Math.max(0, ...data.map((d) => d.stats.p90Minutes ?? 0)));
  const x = (m: number) => left + (m / max) * (W - left - right);
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{data.map((d) => `${d.severity}: ${describe(d.stats)}`).join('; ')}</desc>
        {data.map((d, i) => {
          const cy = i * row + row / 2 + 3;
          return (
            <g key={d.severity} data-severity={d.severity}>
              <text x={left - 8} y={cy} textAnchor="end" dominantBaseline="middle" className="axis strong">{d.severity}</text>
              <rect x={left} y={cy - 8} width={W - left - right} height={16} rx={3} className="track" />
              {d.stats.medianMinutes != null && <rect x={left} y={cy - 8} width={Math.max(2, x(d.stats.medianMinutes) - left)} height={16} rx={3} className={`sev-fill ${SEV_CLASS[d.severity]}`} />}
              {d.stats.p90Minutes != null && <line x1={x(d.stats.p90Minutes)} x2={x(d.stats.p90Minutes)} y1={cy - 11} y2={cy + 11} className="p90-marker" />}
              <text x={W - right + 8} y={cy} dominantBaseline="middle" className="value">{d.stats.count ? minutes(d.stats.medianMinutes) : '—'}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend"><span>bar: median · line: p90 · scale up to {minutes(max)}</span></figcaption>
    </figure>
  );
}

const LOG_TICKS = [1, 10, 60, 360, 1440, 10080];

/** Each incident over time: detection (hollow) to resolution (filled), on a log scale, coloured by severity. */
export function IncidentChart({ id, incidents, from, to, timeZone }: { id: string; incidents: IncidentTimes[]; from: string; to: string; timeZone: string }) {
  const W = 640;
  const H = 220;
  const left = 56;
  const top = 10;
  const bottom = 26;
  const t1 = Date.parse(`${to}T23:59:59Z`);
  // From shortly before the first incident shown (not the start of a long range), to the end of the range.
  const earliest = Math.min(t1 - 30 * 86_400_000, ...incidents.map((i) => Date.parse(i.incidentAt)));
  const t0 = Math.max(Date.parse(`${from}T00:00:00Z`), earliest - 0.05 * (t1 - earliest));
  const x = (iso: string) => left + ((Date.parse(iso) - t0) / Math.max(1, t1 - t0)) * (W - left - 12);
  const maxM = Math.max(60, ...incidents.flatMap((i) => [i.timeToDetectMinutes ?? 0, i.timeToResolveMinutes ?? 0]));
  // The ticks up to maxM and the first one above it.
  const ticks = LOG_TICKS.filter((t, i) => t <= maxM || (LOG_TICKS[i - 1] ?? Infinity) < maxM);
  const top10 = Math.log10(ticks.at(-1) ?? maxM);
  const y = (m: number) => top + (H - top - bottom) * (1 - Math.log10(Math.max(1, m)) / top10);
  const shown = incidents.filter((i) => i.timeToDetectMinutes != null || i.timeToResolveMinutes != null);
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        <title id={`${id}-title`}>Time to detect and to resolve, per incident</title>
        <desc id={`${id}-desc`}>{shown.map((i) => `${i.title} (${i.severity}): detect ${minutes(i.timeToDetectMinutes)}, resolve ${minutes(i.timeToResolveMinutes)}`).join('; ') || 'No incidents with times in range.'}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={W - 4} y1={y(t)} y2={y(t)} className="gridline" />
            <text x={left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className="axis">{minutes(t)}</text>
          </g>
        ))}
        <text x={left} y={H - 8} className="axis">{formatDate(new Date(t0).toISOString(), timeZone)}</text>
        <text x={W - 4} y={H - 8} textAnchor="end" className="axis">{formatDate(`${to}T12:00:00Z`, 'UTC')}</text>
        {shown.map((i) => {
          const cx = x(i.incidentAt);
          const d = i.timeToDetectMinutes;
          const r = i.timeToResolveMinutes;
          return (
            <g key={i.key} className={`incident ${SEV_CLASS[i.severity]}`}>
              <title>{`${i.title} · ${i.severity} · ${formatDate(i.incidentAt, timeZone)}\ndetect ${minutes(d)} · resolve ${minutes(r)}`}</title>
              {d != null && r != null && <line x1={cx} x2={cx} y1={y(d)} y2={y(r)} className="span" />}
              {d != null && <circle cx={cx} cy={y(d)} r={4} className="dot-detect" />}
              {r != null && <circle cx={cx} cy={y(r)} r={5} className="dot-resolve" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span><i className="key hollow" /> detected</span>
        <span><i className="key filled" /> resolved</span>
        {SEVERITIES.map((s) => <span key={s}><i className={`key swatch ${SEV_CLASS[s]}`} /> {s}</span>)}
        <span className="muted">log scale</span>
      </figcaption>
    </figure>
  );
}

/** One bar split into parts (each part labelled with its count beside the bar). */
export function StackedBar({ id, title, parts }: { id: string; title: string; parts: { label: string; value: number; className: string }[] }) {
  const W = 420;
  const total = parts.reduce((n, p) => n + p.value, 0);
  let at = 0;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${W} 28`} width={W} height={28}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{parts.map((p) => `${p.label}: ${p.value}`).join(', ')}</desc>
        <rect x={0} y={4} width={W} height={20} rx={4} className="track" />
        {parts.map((p) => {
          const w = total ? (p.value / total) * W : 0;
          const x = at;
          at += w;
          return w > 0 ? <rect key={p.label} x={x} y={4} width={w} height={20} className={p.className} /> : null;
        })}
      </svg>
      <figcaption className="legend">
        {parts.map((p) => <span key={p.label}><i className={`key swatch ${p.className}`} /> {p.label} <strong>{p.value}</strong></span>)}
      </figcaption>
    </figure>
  );
}

/** Repeats: per tag, the postmortems on a shared time line. */
export function RepeatList({ groups, timeZone }: { groups: RepeatGroup[]; timeZone: string }) {
  const W = 300;
  return (
    <ul className="repeats">
      {groups.map((g) => {
        // Each run on its own time line: its first incident to at least the 90-day window after it.
        const first = g.postmortems[0];
        const last = g.postmortems.at(-1);
        if (!first || !last) return null; // a repeat has at least two postmortems
        const t0 = Date.parse(first.incidentAt);
        const t1 = Math.max(Date.parse(last.incidentAt), t0 + 90 * 86_400_000);
        const x = (iso: string) => 6 + ((Date.parse(iso) - t0) / Math.max(1, t1 - t0)) * (W - 12);
        return (
        <li key={`${g.tag}-${first.key}`} data-tag={g.tag}>
          <div className="repeat-head">
            <span className="tag big">{g.tag}</span>
            <strong>{g.postmortems.length} postmortems</strong> <span className="muted">within {g.spanDays} days</span>
          </div>
          <svg viewBox={`0 0 ${W} 18`} width={W} height={18} aria-hidden="true">
            <line x1={6} x2={W - 6} y1={9} y2={9} className="gridline" />
            <line x1={x(first.incidentAt)} x2={x(last.incidentAt)} y1={9} y2={9} className="repeat-span" />
            {g.postmortems.map((p) => <circle key={p.key} cx={x(p.incidentAt)} cy={9} r={5} className="repeat-dot" />)}
          </svg>
          <ol className="repeat-items">
            {g.postmortems.map((p) => (
              <li key={p.key}>
                <a href={safeUrl(p.url)} onClick={(e) => navigate(e, p.url)}>{p.title}</a> <span className="muted">{formatDate(p.incidentAt, timeZone)}</span>
              </li>
            ))}
          </ol>
        </li>
        );
      })}
    </ul>
  );
}
