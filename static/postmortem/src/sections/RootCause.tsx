import { Field, Section, TextArea, useDoc, BlamelessCheck } from '../doc';

export function RootCause() {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const whys = pm.fiveWhys;
  const setWhy = (i: number, text: string) => edit((d) => ({ ...d, fiveWhys: d.fiveWhys.map((w, j) => (j === i ? text : w)) }));
  return (
    <Section id="root-cause" title="Root cause" hint="The technical or process cause, not a person. If it is not known yet, say what is known and what is still being investigated.">
      <Field id="pm-root-cause" label="Root cause" error={fieldErrors.rootCause} check={pm.rootCause}>
        <TextArea id="pm-root-cause" value={pm.rootCause} rows={3} onChange={(rootCause) => edit((d) => ({ ...d, rootCause }))} />
      </Field>

      <h3 id="five-whys-heading">Five whys</h3>
      <p className="hint">Start from the failure and ask “why?” again of each answer. Each answer explains the one before; stop at something you can change.</p>
      {whys.length === 0 && <p className="empty">No whys yet.</p>}
      <ol className="whys" aria-labelledby="five-whys-heading">
        {whys.map((why, i) => (
          <li key={i}>
            <div className="why-row">
              <input
                id={`pm-why-${i + 1}`}
                type="text"
                aria-label={`Why ${i + 1}`}
                value={why}
                disabled={locked}
                placeholder={locked ? undefined : i === 0 ? 'Why did the failure happen?' : `Why did that happen?`}
                onChange={(e) => setWhy(i, e.target.value)}
              />
              {!locked && (
                <button type="button" className="subtle" aria-label={`Remove why ${i + 1}`} onClick={() => edit((d) => ({ ...d, fiveWhys: d.fiveWhys.filter((_, j) => j !== i) }))}>
                  Remove
                </button>
              )}
            </div>
            {fieldErrors[`fiveWhys.${i}`] && <div className="field-error">{fieldErrors[`fiveWhys.${i}`]}</div>}
            <BlamelessCheck id={`pm-why-${i + 1}`} label={`Why ${i + 1}`} text={why} />
          </li>
        ))}
      </ol>
      {!locked && (
        <button type="button" onClick={() => edit((d) => ({ ...d, fiveWhys: [...d.fiveWhys, ''] }))}>
          {whys.length >= 5 ? 'Add another why' : 'Add a why'}
        </button>
      )}
    </Section>
  );
}
