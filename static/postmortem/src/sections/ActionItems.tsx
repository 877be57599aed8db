import { useEffect, useRef, useState, type FocusEvent } from 'react';
import { openIssue } from '../../../shared/format';
import type { ActionItem, ActionItemState, Level } from '../../../../src/contract/postmortem';
import { actionItemCounts } from '../../../../src/domain/postmortem-workflow';
import { LIMITS } from '../../../../src/domain/postmortem-defaults';
import { additionRefusal } from '../../../../src/domain/list-limits';
import { quadrantLabel, validateActionItem } from '../../../../src/domain/triage';
import { ListErrors, Section, TextArea, useDoc } from '../doc';
import { creatable, useIssues } from '../issues';
import { OwnerInput } from '../OwnerInput';
import { newId } from '../time';
import { IssueTarget } from './IssueTarget';
import { Triage } from './Triage';
import { formatDay } from '../../../shared/dates';
import { FAILURE_PROMPTS } from './WhatFailed';

export const LEVELS: Level[] = ['low', 'medium', 'high'];
const STATE_LABEL: Record<ActionItemState, string> = { proposed: 'Proposed', accepted: 'Accepted', dropped: 'Dropped' };

export function useItemEditor() {
  const { edit } = useDoc();
  return (id: string, change: Partial<ActionItem>) =>
    edit((d) => ({
      ...d,
      actionItems: d.actionItems.map((a) => {
        if (a.id !== id) return a;
        const next: ActionItem = { ...a, ...change };
        if (next.state !== 'dropped') delete next.dropReason;
        return next;
      }),
    }));
}

export function ActionItems() {
  const { pm, edit, locked } = useDoc();
  const [triage, setTriage] = useState(false);
  const [newTitle, setNewTitle] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  const counts = actionItemCounts(pm);

  const add = () => {
    const title = newTitle.trim();
    if (!title) return;
    if (pm.actionItems.length >= LIMITS.actionItems) return setAddError(additionRefusal({ one: 'action item', many: 'action items', in: 'A postmortem' }, pm.actionItems.length, 1, LIMITS.actionItems));
    setAddError(undefined);
    edit((d) => ({ ...d, actionItems: [...d.actionItems, { id: newId('ai'), title, description: '', owner: null, effort: 'medium', impact: 'medium', dueDate: null, state: 'proposed' }] }));
    setNewTitle('');
  };

  return (
    <Section
      id="action-items"
      title="Action items"
      hint="Left empty until the meeting. For each failure ask: what could we reasonably have done to mitigate or prevent it? List everything, then whittle it down to what will get prioritized: low effort, high impact, or both. Every item needs an owner."
      actions={
        pm.actionItems.length > 0 ? (
          <>
            <CreateAllButton />
            <button type="button" className={triage ? 'selected' : 'subtle'} aria-pressed={triage} onClick={() => setTriage(!triage)}>
              Triage view
            </button>
          </>
        ) : undefined
      }
    >
      <IssuesStatus />
      <IssueTarget />
      <ListErrors field="actionItems" label={(i) => `Action item ${i + 1}${pm.actionItems[i]?.title ? ` (${pm.actionItems[i].title})` : ''}`} shownByRow={(k) => /^actionItems\.\d+\.(title|owner\.id|dueDate|dropReason)$/.test(k)} />
      {pm.actionItems.length > 0 && (
        <p className="counts hint">
          {counts.proposed} proposed · {counts.accepted} accepted · {counts.dropped} dropped
        </p>
      )}
      {triage ? (
        <Triage />
      ) : pm.actionItems.length === 0 ? (
        <p className="empty">No action items yet.</p>
      ) : (
        <ol className="items">
          {pm.actionItems.map((item, i) => (
            <ItemCard key={item.id} item={item} n={i + 1} index={i} />
          ))}
        </ol>
      )}
      {!locked && (
        <div className="add-item">
          <label htmlFor="pm-new-item">New action item</label>
          <div className="button-row">
            <input
              id="pm-new-item"
              type="text"
              value={newTitle}
              placeholder="e.g. Alert on checkout error rate above 2%"
              onChange={(e) => setNewTitle(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <button type="button" className="primary" disabled={!newTitle.trim()} onClick={add}>
              Add action item
            </button>
          </div>
          {addError && (
            <div className="field-error" role="alert">
              {addError}
            </div>
          )}
        </div>
      )}
    </Section>
  );
}

function ItemCard(props: { item: ActionItem; n: number; index: number }) {
  const { item, n, index } = props;
  const { edit, locked, fieldErrors } = useDoc();
  const setItem = useItemEditor();
  const local = validateActionItem(item);
  const err = (f: string) => local[f] ?? fieldErrors[`actionItems.${index}.${f}`];
  const id = `pm-item-${n}`;
  const removeItem = () => {
    // The removed card had the focus: it goes to the field for a new item, not to the top of the frame.
    document.getElementById('pm-new-item')?.focus();
    edit((d) => ({ ...d, actionItems: d.actionItems.filter((a) => a.id !== item.id) }));
  };

  return (
    <li className={`item state-${item.state}`} aria-label={`Action item ${n}`}>
      <div className="item-head">
        <div className="grow">
          <label htmlFor={`${id}-title`}>Title of action item {n}</label>
          <input id={`${id}-title`} type="text" value={item.title} disabled={locked} aria-invalid={Boolean(err('title'))} onChange={(e) => setItem(item.id, { title: e.target.value })} />
          {err('title') && <div className="field-error">{err('title')}</div>}
        </div>
        <div className="item-badges">
          <span className={`lozenge quadrant q-${quadrantLabel(item).replace(/\s+/g, '-').toLowerCase()}`}>{quadrantLabel(item)}</span>
          {item.fromFailure && <span className="lozenge subtle-lozenge">From: {FAILURE_PROMPTS[item.fromFailure].label}</span>}
        </div>
      </div>
      <label htmlFor={`${id}-description`}>Description of action item {n}</label>
      <TextArea id={`${id}-description`} value={item.description} rows={2} onChange={(description) => setItem(item.id, { description })} />
      <div className="item-grid">
        <div>
          <label htmlFor={`${id}-owner`}>Owner of action item {n}</label>
          <OwnerInput id={`${id}-owner`} label={`Owner of action item ${n}`} value={item.owner} disabled={locked} onChange={(owner) => setItem(item.id, { owner })} />
          {err('owner.id') && <div className="field-error">{err('owner.id')}</div>}
        </div>
        <div>
          <label htmlFor={`${id}-effort`}>Effort</label>
          <LevelSelect id={`${id}-effort`} label={`Effort of action item ${n}`} value={item.effort} onChange={(effort) => setItem(item.id, { effort })} />
        </div>
        <div>
          <label htmlFor={`${id}-impact`}>Impact</label>
          <LevelSelect id={`${id}-impact`} label={`Impact of action item ${n}`} value={item.impact} onChange={(impact) => setItem(item.id, { impact })} />
        </div>
        <div>
          <label htmlFor={`${id}-due`}>Due date</label>
          <input id={`${id}-due`} type="date" aria-label={`Due date of action item ${n}`} value={item.dueDate ?? ''} disabled={locked} onChange={(e) => setItem(item.id, { dueDate: e.target.value || null })} />
          {err('dueDate') && <div className="field-error">{err('dueDate')}</div>}
        </div>
      </div>
      <StateControl item={item} n={n} index={index} />
      <div className="item-foot">
        <ItemIssue item={item} n={n} />
        {!locked && (
          <button type="button" className="subtle danger-text" aria-label={`Remove action item ${n}`} onClick={() => removeItem()}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}

function LevelSelect(props: { id: string; label: string; value: Level; onChange: (v: Level) => void }) {
  const { locked } = useDoc();
  return (
    <select id={props.id} aria-label={props.label} value={props.value} disabled={locked} onChange={(e) => props.onChange(e.target.value as Level)}>
      {LEVELS.map((l) => (
        <option key={l} value={l}>
          {l.charAt(0).toUpperCase() + l.slice(1)}
        </option>
      ))}
    </select>
  );
}

/** Proposed / accepted / dropped. Dropping asks why first, so a dropped item always says why. */
export function StateControl(props: { item: ActionItem; n: number; index: number; compact?: boolean }) {
  const { item, n, index } = props;
  const { locked, fieldErrors } = useDoc();
  const setItem = useItemEditor();
  const [dropping, setDropping] = useState(false);
  const [reason, setReason] = useState('');
  const id = `pm-item-${n}${props.compact ? '-triage' : ''}`;
  const pendingErrors = validateActionItem({ ...item, state: 'dropped', dropReason: reason });
  const droppedErrors = item.state === 'dropped' ? validateActionItem(item) : {};
  const reasonError = droppedErrors.dropReason ?? fieldErrors[`actionItems.${index}.dropReason`];

  return (
    <div className="state-control">
      <div className="button-row">
        <label htmlFor={`${id}-state`} className="inline-label">
          State
        </label>
        <select
          id={`${id}-state`}
          aria-label={`State of action item ${n}`}
          value={dropping ? 'dropped' : item.state}
          disabled={locked}
          onChange={(e) => {
            const state = e.target.value as ActionItemState;
            if (state === 'dropped') {
              setDropping(true);
              setReason('');
            } else {
              setDropping(false);
              setItem(item.id, { state });
            }
          }}
        >
          {(['proposed', 'accepted', 'dropped'] as ActionItemState[]).map((s) => (
            <option key={s} value={s}>
              {STATE_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {dropping && !locked && (
        <div className="drop-prompt" role="group" aria-label={`Drop action item ${n}`}>
          <label htmlFor={`${id}-drop-reason`}>Why drop action item {n}?</label>
          {/* Opened by the person's own click on Drop: focus goes where they continue (not focus on page load). */}
          {/* eslint-disable-next-line jsx-a11y/no-autofocus */}
          <input id={`${id}-drop-reason`} type="text" value={reason} autoFocus placeholder="e.g. Rare trigger; the cost outweighs the benefit" onChange={(e) => setReason(e.target.value)} />
          {pendingErrors.dropReason && <div className="field-error">{pendingErrors.dropReason}</div>}
          <div className="button-row">
            <button
              type="button"
              className="primary"
              disabled={Boolean(pendingErrors.dropReason)}
              onClick={() => {
                setItem(item.id, { state: 'dropped', dropReason: reason.trim() });
                setDropping(false);
              }}
            >
              Drop item
            </button>
            <button type="button" className="subtle" onClick={() => setDropping(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {item.state === 'dropped' && !dropping && (
        <div className="drop-reason">
          <label htmlFor={`${id}-dropped-reason`}>Reason for dropping action item {n}</label>
          <input id={`${id}-dropped-reason`} type="text" value={item.dropReason ?? ''} disabled={locked} aria-invalid={Boolean(reasonError)} onChange={(e) => setItem(item.id, { dropReason: e.target.value })} />
          {reasonError && <div className="field-error">{reasonError}</div>}
        </div>
      )}
    </div>
  );
}

/** "Create all": every accepted item without an issue, in one click; shows how far it got. */
const ISSUES_STATUS_ID = 'pm-issues-status';

/**
 * For a control that goes away once its action is done (Create all, when nothing is left to create): if it had
 * the focus, the focus moves to `targetId` instead of falling back to the top of the frame, where a keyboard or
 * screen reader user would have lost their place. Removal blurs with no related target; a blur towards another
 * element is the person moving on.
 */
function useFocusKeptOnRemoval(shown: boolean, targetId: string) {
  const focused = useRef(false);
  useEffect(() => {
    if (shown || !focused.current) return;
    focused.current = false;
    const active = document.activeElement;
    if (!active || active === document.body) document.getElementById(targetId)?.focus();
  }, [shown, targetId]);
  return {
    onFocus: () => {
      focused.current = true;
    },
    onBlur: (e: FocusEvent<HTMLButtonElement>) => {
      if (e.relatedTarget) focused.current = false;
    },
  };
}

function CreateAllButton() {
  const { pm, locked, saved } = useDoc();
  const { create, busy, progress } = useIssues();
  const todo = creatable(pm.actionItems);
  const shown = !locked && (todo.length > 0 || busy.size > 0);
  const focusKept = useFocusKeptOnRemoval(shown, ISSUES_STATUS_ID);
  if (!shown) return null;
  const running = busy.size > 0;
  return (
    <button
      type="button"
      className="primary"
      {...focusKept}
      disabled={running || !saved}
      title={saved ? undefined : 'Saving your changes first…'}
      onClick={() => void create()}
    >
      {running && progress ? `Creating issues… ${progress.done} of ${progress.total}` : `Create all Jira issues (${todo.length})`}
    </button>
  );
}

/** What the Jira side said: a failure of the whole call, live status being unavailable, how many exist. */
function IssuesStatus() {
  const { pm } = useDoc();
  const { error, liveError, refresh, refreshing, foundExisting, live } = useIssues();
  const withIssue = pm.actionItems.filter((i) => i.issue).length;
  return (
    <>
      {foundExisting.length > 0 && (
        <div className="banner info" role="status" aria-label="Issues created elsewhere">
          {foundExisting.length === 1 ? 'This item already had its Jira issue' : `These ${foundExisting.length} items already had their Jira issues`}, created by someone else (or in another tab), so nothing new was created:{' '}
          {foundExisting.map((f, i) => {
            const status = live.get(f.itemId)?.status?.name;
            return (
              <span key={f.itemId}>
                {i ? ', ' : ''}
                <strong>{f.issueKey}</strong>
                {status ? ` (${status})` : ''}
              </span>
            );
          })}
          .
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          The Jira issues could not be created: {error}
        </div>
      )}
      {/* Always rendered, so screen readers announce the count when issues are created (a live region that
          appears together with its text is often not read); focus lands here when Create all goes away. */}
      <div className={withIssue > 0 ? 'issues-bar hint' : undefined}>
        <span id={ISSUES_STATUS_ID} role="status" tabIndex={-1}>
          {withIssue > 0 && `${withIssue} of ${pm.actionItems.filter((i) => i.state !== 'dropped').length} items have a Jira issue; status, assignee, priority and due date come live from Jira.`}
        </span>
        {withIssue > 0 && (
          <button type="button" className="subtle" disabled={refreshing} onClick={() => void refresh()}>
            {refreshing ? 'Refreshing…' : 'Refresh from Jira'}
          </button>
        )}
      </div>
      {liveError && (
        <div className="banner warning" role="status">
          {liveError}
        </div>
      )}
    </>
  );
}

const CATEGORY_CLASS = { new: 'status-new', indeterminate: 'status-progress', done: 'status-done' } as const;

/** The item's Jira issue as Jira has it now, or the button that creates it (with its progress and outcome). */
function ItemIssue(props: { item: ActionItem; n: number }) {
  const { item, n } = props;
  const { locked, saved } = useDoc();
  const { live, outcomes, busy, create } = useIssues();
  const outcome = outcomes.get(item.id);
  const key = item.issue?.key ?? (outcome && 'issueKey' in outcome ? outcome.issueKey : undefined);
  // Once created, the button gives way to the issue: the focus moves to its key.
  const focusKept = useFocusKeptOnRemoval(!key, `pm-item-${n}-issue-key`);

  if (key) {
    const l = live.get(item.id);
    if (l && !l.visible)
      return (
        <span className="issue-restricted" aria-label={`Jira issue of action item ${n}`}>
          {key} · Restricted: you cannot see this issue in Jira
        </span>
      );
    return (
      <div className="issue-live" aria-label={`Jira issue of action item ${n}`}>
        <button type="button" id={`pm-item-${n}-issue-key`} className="link issue-key" onClick={() => void openIssue(key)}>
          {key}
        </button>
        {l?.status ? (
          <>
            <span className={`lozenge ${CATEGORY_CLASS[l.status.category]}`} aria-label={`Status of ${key}`}>
              {l.status.name}
            </span>
            <span>{l.assignee ?? 'Unassigned'}</span>
            <span>{l.priority ? `${l.priority} priority` : 'No priority'}</span>
            <span>{l.dueDate ? `Due ${formatDay(l.dueDate)}` : 'No due date'}</span>
          </>
        ) : (
          <span className="hint">{outcome?.state === 'existing' ? 'Already existed' : 'Created'}</span>
        )}
      </div>
    );
  }
  if (item.state !== 'accepted' || locked) return <span />;
  const running = busy.has(item.id);
  return (
    <div className="issue-create">
      <button
        type="button"
        disabled={running || !saved}
        title={saved ? undefined : 'Saving your changes first…'}
        aria-label={`Create Jira issue for action item ${n}`}
        {...focusKept}
        onClick={() => void create([item.id])}
      >
        {running ? 'Creating…' : 'Create Jira issue'}
      </button>
      {outcome?.state === 'failed' && !running && (
        <span className="field-error" role="alert">
          Jira refused action item {n}: {outcome.reason}
        </span>
      )}
    </div>
  );
}
