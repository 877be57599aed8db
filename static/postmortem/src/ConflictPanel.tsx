import { useMemo, useState } from 'react';
import { deepEqual } from '../../../src/domain/postmortem-merge';
import { describePath, readable, takeFrom, valueAt } from './conflicts';
import type { Conflict } from './useAutosave';

type Choice = 'mine' | 'theirs';

/** Someone saved changes that clash with mine: each clashing field side by side, I choose, then save the result. */
export function ConflictPanel(props: { conflict: Conflict; timeZone: string; onSave: (resolved: Conflict['merged']) => void }) {
  const { mine, theirs, merged, conflicts } = props.conflict;
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(conflicts.map((path) => [path, deepEqual(valueAt(merged, path), valueAt(mine, path)) && !deepEqual(valueAt(merged, path), valueAt(theirs, path)) ? 'mine' : 'theirs'])),
  );
  const resolved = useMemo(() => conflicts.reduce((doc, path) => takeFrom(doc, choices[path] === 'mine' ? mine : theirs, path), merged), [conflicts, choices, merged, mine, theirs]);

  return (
    <section className="conflict-panel" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Someone else changed the same fields</h2>
      <p>
        Their other changes and yours are combined. For {conflicts.length === 1 ? 'this field' : `these ${conflicts.length} fields`}, choose which text to keep, then save. Nothing is saved until you do; the document is locked meanwhile.
      </p>
      <ul className="conflicts">
        {conflicts.map((path) => {
          const label = describePath(path, mine, theirs);
          const choice = choices[path];
          const set = (c: Choice) => setChoices((x) => ({ ...x, [path]: c }));
          return (
            <li key={path} className="conflict">
              <h3>{label}</h3>
              <div className="sides">
                <div className={`side ${choice === 'mine' ? 'chosen' : ''}`}>
                  <div className="side-title">Mine</div>
                  <pre>{readable(valueAt(mine, path), props.timeZone)}</pre>
                  <button type="button" className={choice === 'mine' ? 'selected' : ''} aria-pressed={choice === 'mine'} aria-label={`Keep mine: ${label}`} onClick={() => set('mine')}>
                    Keep mine
                  </button>
                </div>
                <div className={`side ${choice === 'theirs' ? 'chosen' : ''}`}>
                  <div className="side-title">Theirs</div>
                  <pre>{readable(valueAt(theirs, path), props.timeZone)}</pre>
                  <button type="button" className={choice === 'theirs' ? 'selected' : ''} aria-pressed={choice === 'theirs'} aria-label={`Keep theirs: ${label}`} onClick={() => set('theirs')}>
                    Keep theirs
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="primary"
        onClick={() => {
          // The panel goes away: the focus moves to the save status, which then says the merge was saved.
          document.getElementById('pm-save-status')?.focus();
          props.onSave(resolved);
        }}
      >
        Save merged
      </button>
    </section>
  );
}
