/** On an action-item issue in Jira: the postmortem it came from, its incident, and the follow-ups sent so far. */
import { useEffect, useState } from 'react';
import { router } from '@forge/bridge';
import type { ActionItemOrigin, ActionItemOriginDefinitions } from '../../../src/contract/action-item-origin';
import { formatDate } from '../../shared/dates';
import { navigate, safeUrl } from '../../shared/format';
import { typedInvoke } from '../../shared/invoke';

const call = typedInvoke<ActionItemOriginDefinitions>();

export function OriginPanel() {
  const [origin, setOrigin] = useState<ActionItemOrigin | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void call('getOrigin').then((r) => (r.ok ? setOrigin(r.value) : setError(r.error.message)));
  }, []);

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (!origin) return <p>Loading…</p>;
  if (!origin.isActionItem) return <p className="hint">This issue did not come from a postmortem.</p>;
  return (
    <div className="origin">
      <p>
        Action item from the postmortem{' '}
        {origin.pageUrl ? (
          <a href={safeUrl(origin.pageUrl)} onClick={(e) => navigate(e, origin.pageUrl!)}>
            {origin.postmortemTitle}
          </a>
        ) : (
          origin.postmortemTitle
        )}
        {origin.incidentKey && (
          <>
            {' '}of incident{' '}
            <a href={safeUrl(`/jira/browse/${encodeURIComponent(origin.incidentKey)}`)} onClick={(e) => { e.preventDefault(); void router.navigate({ target: 'issue', issueKey: origin.incidentKey! }); }}>
              {origin.incidentKey}
            </a>
          </>
        )}
        .
      </p>
      <p className="hint">Created {origin.createdAt ? formatDate(origin.createdAt, origin.timeZone ?? 'UTC') : ''}.</p>
      <h3>Follow-ups</h3>
      {origin.followUps.length ? (
        <ul>
          {origin.followUps.map((f) => (
            <li key={f.commentId}>
              {formatDate(f.at, origin.timeZone ?? 'UTC')}: {f.reasons.join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No follow-up needed so far.</p>
      )}
    </div>
  );
}
