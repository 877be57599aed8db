/**
 * Publish, for the incident owner once the review has agreed on the postmortem: marks it published, labels
 * the page, comments on the incident, lists it in the weekly digest and emails the engineering list (when an
 * admin set one up). Publishing is only done here — the status buttons stop at Reviewed.
 */
import { useEffect, useState } from 'react';
import type { PublishDefinitions, PublishView } from '../../../src/contract/publish';
import { typedInvoke } from '../../shared/invoke';
import { openUrl, safeUrl } from '../../shared/format';
import { useDoc } from './doc';

const call = typedInvoke<PublishDefinitions>();

export function PublishPanel() {
  const { pm, edit } = useDoc();
  const [view, setView] = useState<PublishView | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (pm.status !== 'reviewed' && pm.status !== 'published') return;
    let live = true;
    void call('getPublishState').then((r) => live && r.ok && setView(r.value));
    return () => {
      live = false;
    };
  }, [pm.status]);

  if (pm.status !== 'reviewed' && pm.status !== 'published') return null;
  const run = view?.run;

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    const r = await call('publishPostmortem');
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      void call('getPublishState').then((s) => s.ok && setView(s.value));
      return;
    }
    setView({ canPublish: false, reason: 'Published.', run: r.value.run });
    // The server stored it as published; show it (saving it again is a no-op merge).
    edit((d) => (d.status === 'published' ? d : { ...d, status: 'published' }));
  };

  return (
    <section className="publish-panel" aria-label="Publish">
      {pm.status === 'reviewed' && !run && view?.canPublish && (
        <p className="hint">
          Publishing labels this page <code>postmortem</code> and <code>{pm.severity.toLowerCase()}</code>
          {pm.incidentKey ? <>, comments on {pm.incidentKey}</> : null}, lists it in the weekly digest and emails the engineering list if one is set up.
        </p>
      )}
      {view?.canPublish && (
        <button type="button" className="primary" disabled={busy} onClick={() => void publish()}>
          {busy ? 'Publishing…' : run && !run.done ? 'Finish publishing' : 'Publish'}
        </button>
      )}
      {pm.status === 'reviewed' && view && !view.canPublish && view.reason && <p className="hint">{view.reason}</p>}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {run && (
        <ul className="publish-steps" aria-label="What publishing did">
          {run.steps.map((s) => (
            <li key={s.step} className={`step-${s.state}`}>
              <span aria-hidden="true">{s.state === 'done' ? '\u2713' : s.state === 'skipped' ? '\u2013' : '\u2026'}</span> {s.detail}
              {s.step === 'comment' && s.state === 'done' && run.commentUrl ? (
                <>
                  {' '}
                  <a href={safeUrl(run.commentUrl)} onClick={(e) => openUrl(e, run.commentUrl)}>
                    View
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
