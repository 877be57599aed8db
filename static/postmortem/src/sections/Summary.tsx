import { Field, Section, TextArea, useDoc } from '../doc';

export function Summary() {
  const { pm, edit, fieldErrors } = useDoc();
  return (
    <>
      <Section id="summary" title="Summary" hint="What happened, in a few sentences. Name people only for what they noticed, found or did.">
        <Field id="pm-summary" label="Summary" error={fieldErrors.summary} check={pm.summary}>
          <TextArea id="pm-summary" value={pm.summary} rows={4} placeholder="On 20 Nov the checkout service returned errors for 40 minutes after…" onChange={(summary) => edit((d) => ({ ...d, summary }))} />
        </Field>
      </Section>
      <Section id="impact" title="Impact" hint="Who and what was affected, for how long, and how much: customers, requests, revenue, data.">
        <Field id="pm-impact" label="Impact" error={fieldErrors.impact} check={pm.impact}>
          <TextArea id="pm-impact" value={pm.impact} rows={3} placeholder="About 12% of checkout attempts failed between 10:02 and 10:31…" onChange={(impact) => edit((d) => ({ ...d, impact }))} />
        </Field>
      </Section>
    </>
  );
}
