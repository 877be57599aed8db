/**
 * Action-item triage. The essay: "The best action items are low-effort and high-impact … whittle down the
 * list to those items that are likely to get prioritized; low-effort, high-impact, or both. Everything else
 * is likely a distraction." So the ordering puts quick wins first, the thankless tasks last, and dropped
 * items (explicitly whittled away) after everything.
 */
import type { ActionItem, ActionItemState, Level } from '../contract/postmortem';
import { isCalendarDate } from './time-zone';

const LEVELS: readonly Level[] = ['low', 'medium', 'high'];
const RANK: Record<Level, number> = { low: 1, medium: 2, high: 3 };

/**
 * Higher is better. Impact minus effort decides first (weighted ×3), impact breaks the ties, so
 * every cell of the 3×3 grid gets its own score:
 *
 *            effort: low  medium  high
 *   impact high       9     6      3
 *          medium     5     2     −1
 *          low        1    −2     −5
 *
 * Giving order: quick win (high/low), high/medium, medium/low, high/high, medium/medium, low/low,
 * medium/high, low/medium, and the thankless low-impact/high-effort last.
 */
export function triageScore(item: Pick<ActionItem, 'effort' | 'impact'>): number {
  const impact = RANK[item.impact];
  const effort = RANK[item.effort];
  return 3 * (impact - effort) + impact;
}

/** Best first; dropped items after all others; equal scores keep their original order. Returns a new array. */
export function orderForTriage(items: ActionItem[]): ActionItem[] {
  return items
    .map((item, index) => ({ item, index, dropped: item.state === 'dropped' ? 1 : 0, score: triageScore(item) }))
    .sort((a, b) => a.dropped - b.dropped || b.score - a.score || a.index - b.index)
    .map((x) => x.item);
}

export type TriageGrid = Record<Level, Record<Level, ActionItem[]>>;

/**
 * Items by impact (outer key) and effort (inner key), each cell in original order, for the effort × impact
 * grid. Dropped items are left out unless asked for: they have been whittled away already.
 */
export function triageGrid(items: ActionItem[], opts: { includeDropped?: boolean } = {}): TriageGrid {
  const grid = Object.fromEntries(LEVELS.map((impact) => [impact, Object.fromEntries(LEVELS.map((effort) => [effort, [] as ActionItem[]]))])) as TriageGrid;
  for (const item of items) {
    if (item.state === 'dropped' && !opts.includeDropped) continue;
    grid[item.impact][item.effort].push(item);
  }
  return grid;
}

export type QuadrantLabel = 'Quick win' | 'Major project' | 'Fill-in' | 'Thankless task';

/**
 * The classic 2×2 reading of the grid. "Medium" has to fall on one side of each axis; the rule:
 *   - medium effort counts as HIGH effort: only low effort is cheap enough to call a "quick" win;
 *   - medium impact counts as HIGH impact: a medium-impact item is still worth doing, only low impact is not.
 * So:
 *   impact high|medium + effort low         → Quick win
 *   impact high|medium + effort medium|high → Major project
 *   impact low         + effort low         → Fill-in
 *   impact low         + effort medium|high → Thankless task
 * (The labels are for reading the grid; the ordering uses the finer triageScore.)
 */
export function quadrantLabel(item: Pick<ActionItem, 'effort' | 'impact'>): QuadrantLabel {
  const worthIt = item.impact !== 'low';
  const cheap = item.effort === 'low';
  if (worthIt) return cheap ? 'Quick win' : 'Major project';
  return cheap ? 'Fill-in' : 'Thankless task';
}

/** Jira's limit for an issue summary: the action item title becomes the summary. */
export const MAX_TITLE_LENGTH = 255;

const STATES: readonly ActionItemState[] = ['proposed', 'accepted', 'dropped'];

/** Field errors by dotted path (empty when the item is fine), phrased for the person editing it. */
export function validateActionItem(item: ActionItem): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = (item.title ?? '').trim();
  if (!title) errors.title = 'Give the action item a title.';
  else if (title.length > MAX_TITLE_LENGTH) errors.title = `Keep the title to ${MAX_TITLE_LENGTH} characters (it becomes the Jira summary); it has ${title.length}.`;

  if (!LEVELS.includes(item.effort)) errors.effort = 'Effort must be low, medium or high.';
  if (!LEVELS.includes(item.impact)) errors.impact = 'Impact must be low, medium or high.';
  if (!STATES.includes(item.state)) errors.state = 'State must be proposed, accepted or dropped.';

  if (item.state === 'dropped' && !(item.dropReason ?? '').trim()) {
    errors.dropReason = 'Say why the item is dropped, so the decision is visible later.';
  }
  if (item.dueDate != null && !isCalendarDate(item.dueDate)) {
    errors.dueDate = 'Due dates are real dates written YYYY-MM-DD.';
  }
  if (item.owner) {
    if (item.owner.kind === 'team' && !item.owner.id.trim()) errors['owner.id'] = 'Name the team that owns this item.';
    else if (item.owner.kind === 'user' && !item.owner.id.trim()) errors['owner.id'] = 'Pick the person who owns this item.';
    else if (item.owner.kind !== 'team' && item.owner.kind !== 'user') errors['owner.kind'] = 'The owner is a person or a team.';
  }
  return errors;
}
