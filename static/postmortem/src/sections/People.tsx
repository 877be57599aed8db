import { useEffect, useMemo, useState } from 'react';
import type { ActionItemOwner } from '../../../../src/contract/postmortem';
import { nextBusinessDayAt } from '../../../../src/domain/business-days';
import { computeTimelineMetrics } from '../../../../src/domain/timeline';
import { ListErrors, Section, useDoc } from '../doc';
import { additionRefusal, listErrors } from '../../../../src/domain/list-limits';
import { LIMITS } from '../../../../src/domain/postmortem-defaults';
import { buildIcs, isEmailLike } from '../ics';
import { OwnerInput, ownerText, parseOwner } from '../OwnerInput';
import { formatInstant, fromLocalInput, toLocalInput } from '../time';

export function People(props: { page: { id: string; url: string }; localId: string }) {
  const { pm, edit, locked, fieldErrors } = useDoc();
  return (
    <Section id="people" title="People and review meeting" hint="The incident owner prepares this document; attendees are those involved in the response plus relevant stakeholders. Hold the review soon, ideally the next business day; half an hour is usually enough.">
      <div className="people-grid">
        <div>
          <label htmlFor="pm-owner">Incident owner</label>
          <OwnerInput id="pm-owner" label="Incident owner" value={pm.incidentOwner} disabled={locked} onChange={(incidentOwner) => edit((d) => ({ ...d, incidentOwner }))} />
          {fieldErrors['incidentOwner.id'] && <div className="field-error">{fieldErrors['incidentOwner.id']}</div>}
          {pm.ownerChanges?.length ? (
            <ul className="hint owner-history" aria-label="Owner changes">
              {pm.ownerChanges.slice(-5).map((c) => (
                <li key={`${c.at}-${c.byAccountId}`}>
                  {c.at.slice(0, 16).replace('T', ' ')} UTC: {c.byName || 'someone'} changed the owner from {c.from ? ownerText(c.from) : 'nobody'} to {c.to ? ownerText(c.to) : 'nobody'}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <PeopleList field="attendees" label="Attendees" singular="attendee" />
        <PeopleList field="stakeholders" label="Stakeholders" singular="stakeholder" />
      </div>
      <Meeting page={props.page} localId={props.localId} />
      <Tags />
    </Section>
  );
}

function PeopleList(props: { field: 'attendees' | 'stakeholders'; label: string; singular: string }) {
  const { pm, edit, locked } = useDoc();
  const [text, setText] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  const people = pm[props.field];
  const add = () => {
    const p = parseOwner('user', text);
    if (!p) return;
    const refusal = additionRefusal({ one: props.singular, many: `${props.singular}s`, in: `The ${props.label.toLowerCase()} list` }, people.length, 1, LIMITS.people);
    setAddError(refusal);
    if (refusal) return;
    edit((d) => (d[props.field].some((x) => x.kind === p.kind && x.id === p.id) ? d : { ...d, [props.field]: [...d[props.field], p] }));
    setText('');
  };
  const remove = (p: ActionItemOwner) => edit((d) => ({ ...d, [props.field]: d[props.field].filter((x) => !(x.kind === p.kind && x.id === p.id)) }));
  return (
    <div>
      <h3 id={`pm-${props.field}-heading`}>{props.label}</h3>
      {people.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <ul className="chips" aria-labelledby={`pm-${props.field}-heading`}>
          {people.map((p) => (
            <li key={`${p.kind}:${p.id}`} className="chip" title={p.id}>
              {ownerText(p)}
              {!locked && (
                <button type="button" className="chip-remove" aria-label={`Remove ${props.singular} ${p.displayName}`} onClick={() => remove(p)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && (
        <div className="button-row">
          <input
            type="text"
            aria-label={`Add ${props.singular}`}
            placeholder="Name <email>"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" disabled={!text.trim()} onClick={add}>
            Add
          </button>
        </div>
      )}
      {addError && (
        <div className="field-error" role="alert">
          {addError}
        </div>
      )}
      <ListErrors field={props.field} label={(i) => `${props.singular.charAt(0).toUpperCase()}${props.singular.slice(1)} ${i + 1}${people[i] ? ` (${ownerText(people[i])})` : ''}`} />
    </div>
  );
}

function Meeting(props: { page: { id: string; url: string }; localId: string }) {
  const { pm, edit, locked, settings, fieldErrors } = useDoc();
  const tz = settings.timeZone;

  const suggest = () => {
    const resolvedAt = computeTimelineMetrics(pm.timeline).resolvedAt;
    const from = resolvedAt ? new Date(resolvedAt) : new Date();
    const at = nextBusinessDayAt(from, { timeZone: tz, holidays: settings.holidays, hour: 10 });
    edit((d) => ({ ...d, reviewMeetingAt: at.toISOString() }));
  };

  const ics = useMemo(() => {
    if (!pm.reviewMeetingAt) return undefined;
    try {
      return buildIcs({ pageId: props.page.id, localId: props.localId, title: pm.title, startsAt: pm.reviewMeetingAt, pageUrl: props.page.url, attendees: [...(pm.incidentOwner ? [pm.incidentOwner] : []), ...pm.attendees] });
    } catch {
      return undefined;
    }
  }, [pm.reviewMeetingAt, pm.title, pm.attendees, pm.incidentOwner, props.page.id, props.page.url, props.localId]);

  const [href, setHref] = useState<string | undefined>();
  useEffect(() => {
    if (!ics) return setHref(undefined);
    const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [ics]);

  const invited = pm.attendees.filter((a) => isEmailLike(a.id)).length + (pm.incidentOwner && isEmailLike(pm.incidentOwner.id) ? 1 : 0);
  return (
    <div className="meeting">
      <h3>Review meeting</h3>
      <div className="button-row align-end">
        <div>
          <label htmlFor="pm-review-meeting">Review meeting ({tz})</label>
          {locked && !pm.reviewMeetingAt ? (
            <input id="pm-review-meeting" type="text" disabled value="" placeholder="Not scheduled yet." />
          ) : (
            <input id="pm-review-meeting" type="datetime-local" value={toLocalInput(pm.reviewMeetingAt, tz)} disabled={locked} onChange={(e) => edit((d) => ({ ...d, reviewMeetingAt: fromLocalInput(e.target.value, tz) }))} />
          )}
        </div>
        {!locked && (
          <button type="button" onClick={suggest}>
            Next business day 10:00
          </button>
        )}
        {href ? (
          <a className="button" href={href} download={`postmortem-review-${props.page.id}.ics`}>
            Download .ics
          </a>
        ) : (
          <button type="button" disabled title="Set the meeting time first">
            Download .ics
          </button>
        )}
      </div>
      {fieldErrors.reviewMeetingAt && <div className="field-error">{fieldErrors.reviewMeetingAt}</div>}
      {pm.reviewMeetingAt && (
        <p className="hint">
          {formatInstant(pm.reviewMeetingAt, tz)}, 30 minutes. {invited ? `The calendar file invites ${invited} ${invited === 1 ? 'person' : 'people'} with an email address.` : 'Add attendees as “Name <email>” to invite them in the calendar file.'}
        </p>
      )}
    </div>
  );
}

const parseTags = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];

function Tags() {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const [text, setText] = useState(pm.tags.join(', '));
  useEffect(() => {
    setText((t) => (parseTags(t).join('\u0000') === pm.tags.join('\u0000') ? t : pm.tags.join(', ')));
  }, [pm.tags]);
  const [refusal, setRefusal] = useState<string | undefined>();
  const errors = listErrors(fieldErrors, 'tags');
  return (
    <div className="field">
      <label htmlFor="pm-tags">Tags</label>
      <div className="hint" id="pm-tags-hint">
        Services and failure categories, separated by commas, so repeat failures show up across postmortems.
      </div>
      <input id="pm-tags" type="text" aria-describedby="pm-tags-hint" value={text} disabled={locked} placeholder={locked ? '—' : 'checkout, deploys, alerting'} onChange={(e) => {
        setText(e.target.value);
        const tags = parseTags(e.target.value);
        // More tags than a save accepts: the text stays as typed, the document keeps its last valid tags.
        const tooMany = tags.length > LIMITS.tags ? `At most ${LIMITS.tags} tags; this has ${tags.length}. Remove some; they were not applied.` : undefined;
        setRefusal(tooMany);
        if (tooMany) return;
        edit((d) => (tags.join('\u0000') === d.tags.join('\u0000') ? d : { ...d, tags }));
      }} aria-invalid={Boolean(refusal || errors.length)} />
      {refusal && <div className="field-error" role="alert">{refusal}</div>}
      {errors.map((e) => (
        <div key={e.key} className="field-error" role="alert">
          {e.index === null ? e.message : `Tag "${pm.tags[e.index] ?? e.index + 1}": ${e.message}`}
        </div>
      ))}
    </div>
  );
}
