/**
 * "Import from INC-…": the incident's Jira history (creation, status, resolution, priority and assignee changes,
 * comments) as timeline rows. Like the chat paste, a preview first: each row with its time in the site's zone,
 * its guessed kind and its author, ticked to be added — rows the timeline already has are shown as such and
 * cannot be added again. Jira text is shown as text, never as markup.
 */
import { useMemo, useState } from 'react';
import type { IncidentTimeline, IncidentTimelineDefinitions } from '../../../../src/contract/incident-timeline';
import type { TimelineEntry } from '../../../../src/contract/postmortem';
import { mergeImportedTimeline } from '../../../../src/domain/incident-timeline';
import { additionRefusal } from '../../../../src/domain/list-limits';
import { LIMITS } from '../../../../src/domain/postmortem-defaults';
import { sortTimeline, TIMELINE_KIND_LABEL } from '../../../../src/domain/timeline';
import { typedInvoke } from '../../../shared/invoke';
import { useDoc } from '../doc';
import { toLocalInput } from '../time';

const call = typedInvoke<IncidentTimelineDefinitions>();

/** Adds the rows not yet there, in time order when the timeline already was (else after it, as the chat paste does). */
function withImported(timeline: TimelineEntry[], rows: TimelineEntry[]): TimelineEntry[] {
  const { toAdd } = mergeImportedTimeline(timeline, rows);
  if (!toAdd.length) return timeline;
  const sorted = sortTimeline(timeline);
  const inOrder = sorted.every((e, i) => e === timeline[i]);
  return inOrder ? sortTimeline([...timeline, ...toAdd]) : [...timeline, ...toAdd];
}

export function IncidentImport() {
  const { pm, edit, settings } = useDoc();
  const tz = settings.timeZone;
  const key = pm.incidentKey;
  const [loading, setLoading] = useState(false);
  const [preview, setPreview] = useState<IncidentTimeline | undefined>();
  const [skipped, setSkipped] = useState<Set<string>>(new Set());
  const [report, setReport] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  // Against the timeline as it is now, so rows added meanwhile (by this tab or a merged save) count as there.
  const merge = useMemo(() => (preview ? mergeImportedTimeline(pm.timeline, preview.entries) : undefined), [preview, pm.timeline]);
  const newIds = new Set(merge?.toAdd.map((e) => e.id));
  const chosen = merge?.toAdd.filter((e) => !skipped.has(e.id)) ?? [];

  const load = async () => {
    if (!key) return;
    setLoading(true);
    setError(undefined);
    setReport(undefined);
    const r = await call('importIncidentTimeline', { issueKey: key });
    setLoading(false);
    if (!r.ok) {
      setPreview(undefined);
      setError(r.error.message);
      return;
    }
    setSkipped(new Set());
    setPreview(r.value);
  };

  const accept = () => {
    if (!preview || !merge) return;
    // Refused before it is applied: a timeline past the limit could not be saved at all.
    const refusal = additionRefusal({ one: 'entry', many: 'entries', in: 'A timeline' }, pm.timeline.length, chosen.length, LIMITS.timeline);
    if (refusal) {
      setError(`${refusal} Untick some rows.`);
      return;
    }
    const picked = chosen;
    edit((d) => ({ ...d, timeline: withImported(d.timeline, picked) }));
    const there = merge.alreadyThere.length;
    setReport(`${picked.length} ${picked.length === 1 ? 'row' : 'rows'} added from ${preview.issueKey}${there ? `; ${there} ${there === 1 ? 'was' : 'were'} already in the timeline` : ''}.`);
    setError(undefined);
    setPreview(undefined);
  };

  return (
    <div className="incident-import">
      <div className="button-row">
        <button type="button" disabled={!key || loading} onClick={() => void load()} aria-describedby="pm-incident-import-hint">
          {key ? `Import from ${key}` : 'Import from the incident'}
        </button>
        <span className="hint" id="pm-incident-import-hint">
          {key ? `Creation, status, priority and assignee changes and comments from ${key}'s Jira history; you choose what is added.` : 'Fill in the incident key above to import its Jira history.'}
        </span>
        {loading && <span role="status" className="hint">Reading {key}…</span>}
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
      {preview && merge && (
        <div className="incident-import-preview">
          {preview.entries.length === 0 ? (
            <p className="empty">{preview.issueKey} has no history to import.</p>
          ) : (
            <div className="table-wrap">
              <table className="chat-preview" aria-label={`Rows from ${preview.issueKey}'s Jira history`}>
                <thead>
                  <tr>
                    <th scope="col">Add</th>
                    <th scope="col">Time ({tz})</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Who</th>
                    <th scope="col">What happened</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.entries.map((e, i) => {
                    const isNew = newIds.has(e.id);
                    return (
                      <tr key={e.id} className={isNew ? `kind-${e.kind}` : 'already-there'}>
                        <td>
                          {isNew ? (
                            <input
                              type="checkbox"
                              aria-label={`Add row ${i + 1}`}
                              checked={!skipped.has(e.id)}
                              onChange={(ev) =>
                                setSkipped((s) => {
                                  const next = new Set(s);
                                  if (ev.target.checked) next.delete(e.id);
                                  else next.add(e.id);
                                  return next;
                                })
                              }
                            />
                          ) : (
                            <span className="hint">Already in the timeline</span>
                          )}
                        </td>
                        <td>{e.at ? toLocalInput(e.at, tz).replace('T', ' ') : '—'}</td>
                        <td>{TIMELINE_KIND_LABEL[e.kind]}</td>
                        <td>{e.author ?? '—'}</td>
                        <td>{e.text}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <div className="button-row">
            <button type="button" className="primary" disabled={chosen.length === 0} onClick={accept}>
              {chosen.length ? `Add ${chosen.length} ${chosen.length === 1 ? 'row' : 'rows'} to timeline` : 'Nothing new to add'}
            </button>
            <button type="button" className="subtle" onClick={() => setPreview(undefined)}>
              Cancel
            </button>
            {merge.toAdd.length === 0 && preview.entries.length > 0 && <span className="hint">Every row is already in the timeline.</span>}
          </div>
        </div>
      )}
    </div>
  );
}
