import type { FailureCategory } from '../../../../src/contract/postmortem';
import { FAILURE_CATEGORIES } from '../../../../src/contract/postmortem';
import { Field, Section, TextArea, useDoc } from '../doc';
import { newId } from '../time';

export const FAILURE_PROMPTS: Record<FailureCategory, { label: string; prompt: string; itemTitle: string }> = {
  detection: {
    label: 'Detection and monitoring',
    prompt: 'Did it take longer to detect the incident or page someone than it should have? Was sufficient monitoring in place?',
    itemTitle: 'Improve detection and monitoring',
  },
  escalation: {
    label: 'Escalation',
    prompt: 'Was the first person to respond the right person or job function, or did it take several escalations to reach someone who could resolve it?',
    itemTitle: 'Route escalation to the right responder',
  },
  resilience: {
    label: 'Secondary systems',
    prompt: 'Was the incident more impactful than it could have been because secondary systems were not resilient to the failure of the first one?',
    itemTitle: 'Make secondary systems resilient',
  },
  documentation: {
    label: 'Documentation',
    prompt: 'Did resolution take longer than it should have because relevant documentation was missing or out of date?',
    itemTitle: 'Fix missing or stale documentation',
  },
};

/** The first line of the notes, shortened, as an action item title. */
function titleFrom(notes: string, fallback: string): string {
  const line = notes.split('\n').map((l) => l.trim()).find(Boolean);
  if (!line) return fallback;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

export function WhatFailed() {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const answers = FAILURE_CATEGORIES.map((category) => pm.whatFailed.find((w) => w.category === category) ?? { category, notes: '' });
  const setNotes = (category: FailureCategory, notes: string) =>
    edit((d) => {
      const exists = d.whatFailed.some((w) => w.category === category);
      return { ...d, whatFailed: exists ? d.whatFailed.map((w) => (w.category === category ? { ...w, notes } : w)) : [...d.whatFailed, { category, notes }] };
    });
  const makeItem = (category: FailureCategory, notes: string) =>
    edit((d) => ({
      ...d,
      actionItems: [
        ...d.actionItems,
        { id: newId('ai'), title: titleFrom(notes, FAILURE_PROMPTS[category].itemTitle), description: notes.trim(), owner: null, effort: 'medium', impact: 'medium', dueDate: null, state: 'proposed', fromFailure: category },
      ],
    }));

  return (
    <Section id="what-failed" title="What failed" hint="Once everyone agrees on what happened: which processes and systems failed along the way? For each failure, ask what could reasonably have mitigated or prevented it.">
      <div className="failures">
        {answers.map(({ category, notes }) => {
          const p = FAILURE_PROMPTS[category];
          const index = pm.whatFailed.findIndex((w) => w.category === category);
          const count = pm.actionItems.filter((a) => a.fromFailure === category).length;
          return (
            <div className="failure" key={category}>
              <Field id={`pm-failed-${category}`} label={`${p.label} notes`} hint={p.prompt} error={fieldErrors[`whatFailed.${index}.notes`]} check={notes}>
                <TextArea id={`pm-failed-${category}`} value={notes} rows={2} onChange={(v) => setNotes(category, v)} />
              </Field>
              <div className="failure-actions">
                {!locked && (
                  <button type="button" aria-label={`Make this an action item: ${p.label.toLowerCase()}`} onClick={() => makeItem(category, notes)}>
                    Make this an action item
                  </button>
                )}
                {count > 0 && <span className="hint">{count === 1 ? '1 action item' : `${count} action items`} from this</span>}
              </div>
            </div>
          );
        })}
      </div>
    </Section>
  );
}
