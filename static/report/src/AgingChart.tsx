/** Open items by age: an inline SVG bar chart that also states each number as text (and to screen readers). */
import type { ReportSummary } from '../../../src/contract/report';

const BAR_COLOURS: Record<string, string> = {
  'under-7': 'var(--ds-background-accent-blue-subtle, #579dff)',
  '7-30': 'var(--ds-background-accent-yellow-subtle, #e2b203)',
  '30-90': 'var(--ds-background-accent-orange-subtle, #fea362)',
  'over-90': 'var(--ds-background-accent-red-subtle, #f87168)',
};

export function AgingChart({ aging }: { aging: ReportSummary['aging'] }) {
  const max = Math.max(1, ...aging.map((b) => b.count));
  const total = aging.reduce((n, b) => n + b.count, 0);
  const row = 32;
  const labelWidth = 92;
  const barWidth = 300;
  const height = aging.length * row;
  const description = aging.map((b) => `${b.label}: ${b.count}`).join(', ');
  return (
    <figure className="aging">
      <svg
        role="img"
        aria-labelledby="aging-title aging-desc"
        viewBox={`0 0 ${labelWidth + barWidth + 56} ${height}`}
        width={labelWidth + barWidth + 56}
        height={height}
      >
        <title id="aging-title">Open action items by age since created</title>
        <desc id="aging-desc">{description}</desc>
        {aging.map((b, i) => {
          const w = b.count ? Math.max(3, Math.round((b.count / max) * barWidth)) : 0;
          const y = i * row;
          return (
            <g key={b.bucket} data-bucket={b.bucket}>
              <text x={labelWidth - 10} y={y + row / 2} dominantBaseline="middle" textAnchor="end" className="aging-label">
                {b.label}
              </text>
              <rect x={labelWidth} y={y + 6} width={barWidth} height={row - 12} rx={3} className="aging-track" />
              {w > 0 && <rect x={labelWidth} y={y + 6} width={w} height={row - 12} rx={3} fill={BAR_COLOURS[b.bucket]} />}
              <text x={labelWidth + barWidth + 10} y={y + row / 2} dominantBaseline="middle" className="aging-count">
                {b.count}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="hint">
        {total} open {total === 1 ? 'item' : 'items'} by days since the issue was created.
      </figcaption>
    </figure>
  );
}
