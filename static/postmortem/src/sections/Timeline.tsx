import { useMemo, useState } from 'react';
import type { TimelineEntry, TimelineKind } from '../../../../src/contract/postmortem';
import { parseChatLog, type DateOrder, type LineReading } from '../../../../src/domain/chat-log';
import { sortTimeline, TIMELINE_KIND_LABEL } from '../../../../src/domain/timeline';
import { BlamelessCheck, ListErrors, Section, useDoc } from '../doc';
import { formatDay } from '../../../shared/dates';
import { additionRefusal } from '../../../../src/domain/list-limits';
import { LIMITS } from '../../../../src/domain/postmortem-defaults';
import { fromLocalInput, localDate, newId, toLocalInput } from '../time';
import { IncidentImport } from './IncidentImport';

const KINDS = Object.keys(TIMELINE_KIND_LABEL) as TimelineKind[];

export function Timeline() {
  const { pm, edit, locked, settings, fieldErrors } = useDoc();
  const tz = settings.timeZone;
  const setEntry = (id: string, change: Partial<TimelineEntry>) =>
    edit((d) => ({
      ...d,
      timeline: d.timeline.map((e) => {
        if (e.id !== id) return e;
        const next = { ...e, ...change };
        if (next.author !== undefined && !next.author.trim()) delete next.author;
        return next;
      }),
    }));
  const sorted = sortTimeline(pm.timeline);
  const inOrder = sorted.every((e, i) => e === pm.timeline[i]);

  return (
    <Section
      id="timeline"
      title="Timeline"
      hint="The initial failure, detection, response, each remediation step and the resolution, with times. Pasting the incident chat is a good start."
      actions={
        !locked && !inOrder ? (
          <button type="button" className="subtle" onClick={() => edit((d) => ({ ...d, timeline: sortTimeline(d.timeline) }))}>
            Sort by time
          </button>
        ) : undefined
      }
    >
      <p className="hint">Times are in {tz}.</p>
      <ListErrors field="timeline" label={(i) => `Timeline entry ${i + 1}`} shownByRow={(k) => /^timeline\.\d+\.(at|text|id)$/.test(k)} />
      {pm.timeline.length === 0 ? (
        <p className="empty">No entries yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="timeline">
            <thead>
              <tr>
                <th scope="col" className="col-time">Time</th>
                <th scope="col" className="col-kind">Kind</th>
                <th scope="col" className="col-author">Who</th>
                <th scope="col">What happened</th>
                {!locked && <th scope="col" className="col-remove"><span className="visually-hidden">Remove</span></th>}
              </tr>
            </thead>
            <tbody>
              {pm.timeline.map((e, i) => {
                const n = i + 1;
                const err = fieldErrors[`timeline.${i}.at`] ?? fieldErrors[`timeline.${i}.text`] ?? fieldErrors[`timeline.${i}.id`];
                return (
                  <tr key={e.id} className={`kind-${e.kind}`}>
                    <td>
                      <input type="datetime-local" aria-label={`Time of entry ${n}`} value={toLocalInput(e.at, tz)} disabled={locked} onChange={(ev) => setEntry(e.id, { at: fromLocalInput(ev.target.value, tz) })} />
                    </td>
                    <td>
                      <select aria-label={`Kind of entry ${n}`} value={e.kind} disabled={locked} onChange={(ev) => setEntry(e.id, { kind: ev.target.value as TimelineKind })}>
                        {KINDS.map((k) => (
                          <option key={k} value={k}>
                            {TIMELINE_KIND_LABEL[k]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input type="text" aria-label={`Author of entry ${n}`} value={e.author ?? ''} disabled={locked} onChange={(ev) => setEntry(e.id, { author: ev.target.value })} />
                    </td>
                    <td>
                      <input type="text" aria-label={`Text of entry ${n}`} value={e.text} disabled={locked} onChange={(ev) => setEntry(e.id, { text: ev.target.value })} />
                      {err && <div className="field-error">{err}</div>}
                      <BlamelessCheck id={`pm-timeline-${n}`} label={`entry ${n}`} text={e.text} />
                    </td>
                    {!locked && (
                      <td>
                        <button type="button" className="subtle icon" aria-label={`Remove entry ${n}`} title="Remove entry" onClick={() => edit((d) => ({ ...d, timeline: d.timeline.filter((x) => x.id !== e.id) }))}>
                          ×
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!locked && (
        <>
          <p>
            <button type="button" disabled={pm.timeline.length >= LIMITS.timeline} title={pm.timeline.length >= LIMITS.timeline ? `A timeline holds at most ${LIMITS.timeline} entries.` : undefined} onClick={() => edit((d) => (d.timeline.length >= LIMITS.timeline ? d : { ...d, timeline: [...d.timeline, { id: newId('t'), at: null, kind: 'note', text: '' }] }))}>
              Add timeline entry
            </button>
          </p>
          <IncidentImport />
          <ChatPaste />
        </>
      )}
    </Section>
  );
}

/** The incident day: the local date of the earliest timed entry, or today. */
function incidentDay(timeline: TimelineEntry[], timeZone: string): string {
  const first = sortTimeline(timeline).find((e) => e.at);
  return localDate(first?.at ? new Date(first.at) : new Date(), timeZone);
}

const READING_LABEL: Record<LineReading, string> = {
  message: 'Message',
  header: 'Header: its time and author go to the lines below',
  continuation: 'Continues the message above',
  untimed: 'Note without a time',
};

function ChatPaste() {
  const { pm, edit, settings } = useDoc();
  const [text, setText] = useState('');
  const [dateOrder, setDateOrder] = useState<DateOrder | undefined>();
  const [report, setReport] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState(pm.timeline.length === 0);
  const day = incidentDay(pm.timeline, settings.timeZone);
  const tz = settings.timeZone;

  // The preview: how each line will be read, before anything is added.
  const preview = useMemo(() => {
    if (!text.trim()) return undefined;
    try {
      return parseChatLog(text, { date: day, timeZone: tz, dateOrder, idPrefix: 'preview' });
    } catch {
      return undefined;
    }
  }, [text, day, tz, dateOrder]);
  const mustAskDateOrder = !!preview?.dateOrder?.ambiguous;

  const add = () => {
    try {
      const { entries, unparsed } = parseChatLog(text, { date: day, timeZone: tz, dateOrder, idPrefix: newId('chat') });
      // Refused before it is applied: a timeline past the limit could not be saved at all. The pasted text stays.
      const refusal = additionRefusal({ one: 'entry', many: 'entries', in: 'A timeline' }, pm.timeline.length, entries.length, LIMITS.timeline);
      if (refusal) {
        setReport(undefined);
        setError(`${refusal} Paste fewer lines.`);
        return;
      }
      edit((d) => ({ ...d, timeline: [...d.timeline, ...entries] }));
      setReport(`${entries.length} ${entries.length === 1 ? 'line' : 'lines'} read, ${unparsed} kept as notes`);
      setError(undefined);
      setText('');
      setDateOrder(undefined);
    } catch (e) {
      setError(`Could not read the chat: ${(e as Error).message}`);
    }
  };

  return (
    <details className="chat-paste" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Paste chat log</summary>
      <label htmlFor="pm-chat-log">Paste chat log</label>
      <div className="hint" id="pm-chat-log-hint">
        Slack, Teams, IRC or plain lines such as “10:02 alice: alert firing”. Lines with only a time are taken to be on {formatDay(day)} ({tz}); lines without a time continue the message above, or are kept as notes.
      </div>
      <textarea id="pm-chat-log" rows={4} aria-describedby="pm-chat-log-hint" value={text} onChange={(e) => setText(e.target.value)} />
      {preview?.dateOrder && preview.dateOrder.decidedBy !== 'the paste' && preview.dateOrder.decidedBy !== 'each line' && (
        <fieldset className="chat-date-order">
          <legend>{mustAskDateOrder ? 'How are dates like 03/04/2026 written in this chat? The incident date does not tell.' : 'Dates like 03/04/2026 are read as'}</legend>
          {(['month-first', 'day-first'] as const).map((o) => (
            <label key={o} className="inline">
              <input type="radio" name="pm-chat-date-order" value={o} checked={!mustAskDateOrder && preview.dateOrder?.used === o} onChange={() => setDateOrder(o)} />
              {o === 'month-first' ? ' month/day (3 April → 04/03)' : ' day/month (3 April → 03/04)'}
            </label>
          ))}
        </fieldset>
      )}
      {preview && preview.lines.length > 0 && (
        <div className="table-wrap">
          <table className="chat-preview" aria-label="How the pasted lines will be read">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Read as</th>
                <th scope="col">Time ({tz})</th>
                <th scope="col">Who</th>
                <th scope="col">Pasted line</th>
              </tr>
            </thead>
            <tbody>
              {preview.lines.map((l) => (
                <tr key={l.line} className={`reading-${l.reading}`}>
                  <td>{l.line}</td>
                  <td>{READING_LABEL[l.reading]}</td>
                  <td>{l.at ? toLocalInput(l.at, tz).replace('T', ' ') : '—'}</td>
                  <td>{l.author ?? '—'}</td>
                  <td>
                    {l.text}
                    {l.notes.length > 0 && <div className="hint">{l.notes.join('; ')}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row">
        <button type="button" className="primary" disabled={!text.trim() || mustAskDateOrder} onClick={add}>
          Add chat lines to timeline
        </button>
        {report && (
          <span role="status" className="hint">
            {report}
          </span>
        )}
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </details>
  );
}
