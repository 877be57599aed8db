/**
 * Where this postmortem's action items become Jira issues: a project the person can see and one of its issue
 * types. Defaults come from the app settings; the server checks a change again when it is saved.
 */
import { useEffect, useState } from 'react';
import type { ActionItemDefinitions, IssueTarget as Target } from '../../../../src/contract/action-items';
import { typedInvoke } from '../../../shared/invoke';
import { useDoc } from '../doc';

const call = typedInvoke<ActionItemDefinitions>();

export function IssueTarget() {
  const { pm, edit, locked, fieldErrors } = useDoc();
  const [targets, setTargets] = useState<Target[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (locked) return;
    void call('getIssueTargets').then((r) => (r.ok ? setTargets(r.value) : setError(r.error.message)));
  }, [locked]);

  const project = pm.actionItemProjectKey;
  const current = targets?.find((t) => t.key === project);
  const types = current?.issueTypes ?? [pm.actionItemIssueType];
  const setProject = (key: string) => {
    const next = targets?.find((t) => t.key === key);
    const type = next?.issueTypes.includes(pm.actionItemIssueType) ? pm.actionItemIssueType : (next?.issueTypes.find((t) => t === 'Task') ?? next?.issueTypes[0] ?? pm.actionItemIssueType);
    edit((d) => ({ ...d, actionItemProjectKey: key, actionItemIssueType: type }));
  };

  if (locked || !targets) {
    return (
      <p className="hint issue-target">
        New Jira issues go to {project} as {pm.actionItemIssueType}.{error && ` (${error})`}
      </p>
    );
  }
  return (
    <div className="issue-target button-row">
      <label htmlFor="pm-issue-project" className="inline-label">
        New Jira issues go to
      </label>
      <select id="pm-issue-project" aria-label="Jira project for action items" value={project} onChange={(e) => setProject(e.target.value)}>
        {!current && <option value={project}>{project} (not a project you can see)</option>}
        {targets.map((t) => (
          <option key={t.key} value={t.key}>
            {t.name} ({t.key})
          </option>
        ))}
      </select>
      <label htmlFor="pm-issue-type" className="inline-label">
        as
      </label>
      <select id="pm-issue-type" aria-label="Issue type for action items" value={pm.actionItemIssueType} onChange={(e) => edit((d) => ({ ...d, actionItemIssueType: e.target.value }))}>
        {!types.includes(pm.actionItemIssueType) && <option value={pm.actionItemIssueType}>{pm.actionItemIssueType}</option>}
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      {(fieldErrors.actionItemProjectKey || fieldErrors.actionItemIssueType) && <div className="field-error">{fieldErrors.actionItemProjectKey ?? fieldErrors.actionItemIssueType}</div>}
    </div>
  );
}
