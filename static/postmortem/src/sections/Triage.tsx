import type { Level } from '../../../../src/contract/postmortem';
import { orderForTriage, quadrantLabel, triageGrid } from '../../../../src/domain/triage';
import { useDoc } from '../doc';
import { StateControl } from './ActionItems';

const IMPACT_ROWS: Level[] = ['high', 'medium', 'low'];
const EFFORT_COLS: Level[] = ['low', 'medium', 'high'];
const cap = (l: Level) => l.charAt(0).toUpperCase() + l.slice(1);

/** The effort × impact grid and the list in triage order: quick wins first, dropped items last. */
export function Triage() {
  const { pm } = useDoc();
  const grid = triageGrid(pm.actionItems);
  const ordered = orderForTriage(pm.actionItems);
  const numberOf = new Map(pm.actionItems.map((a, i) => [a.id, i + 1]));

  return (
    <div className="triage">
      <p className="hint">Favour low effort and high impact. Accept what will get prioritized; drop the rest explicitly, with a reason.</p>
      <table className="triage-grid" aria-label="Effort and impact grid">
        <thead>
          <tr>
            <th scope="col" className="corner">
              Impact ↓ / Effort →
            </th>
            {EFFORT_COLS.map((e) => (
              <th scope="col" key={e}>
                {cap(e)} effort
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {IMPACT_ROWS.map((impact) => (
            <tr key={impact}>
              <th scope="row">{cap(impact)} impact</th>
              {EFFORT_COLS.map((effort) => {
                const label = quadrantLabel({ effort, impact });
                const items = grid[impact][effort];
                return (
                  <td key={effort} className={`cell q-${label.replace(/\s+/g, '-').toLowerCase()}`} aria-label={`${cap(impact)} impact, ${effort} effort: ${label}`}>
                    <div className="cell-label">{label}</div>
                    <ul>
                      {items.map((a) => (
                        <li key={a.id} className={`state-${a.state}`}>
                          <span className="num">{numberOf.get(a.id)}.</span> {a.title}
                        </li>
                      ))}
                    </ul>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <h3>In triage order</h3>
      <ol className="triage-list">
        {ordered.map((a) => {
          const n = numberOf.get(a.id)!;
          return (
            <li key={a.id} className={`state-${a.state}`}>
              <div className="triage-row">
                <div className="grow">
                  <strong>
                    {n}. {a.title}
                  </strong>
                  <div className="hint">
                    {quadrantLabel(a)} · effort {a.effort}, impact {a.impact} · {a.owner ? a.owner.displayName : 'no owner yet'}
                    {a.state === 'dropped' && a.dropReason ? ` · dropped: ${a.dropReason}` : ''}
                  </div>
                </div>
                <StateControl item={a} n={n} index={n - 1} compact />
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
