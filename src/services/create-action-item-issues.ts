/**
 * Creates the Jira issues for a postmortem's accepted action items — exactly once per item.
 *
 * Exactly once, whatever happens: a per-item lease in Forge storage stops two runs (double click, two
 * people, a retry) from creating the same item at the same time; before creating, a JQL search on the
 * indexed `postmortem-action-item` property finds issues an earlier run created but never recorded (a crash
 * between "Jira created it" and "we wrote it down"); bulk create (≤ 50 per call) sets that property at
 * creation, so the recovery always finds what was created. That property is writable by anyone who may
 * edit an issue, so the recovery takes only issues carrying the secret token of one of the app's own
 * attempts, and every created issue is recorded in Forge storage (src/store/app-issues.ts), the only record
 * the app trusts afterwards. Issues are created as the user, so Jira's permissions apply and the reporter is
 * that user — except in the background (queue consumer), where there is no user: there the resolver has
 * checked the user's rights, and the run acts as the app with that user as reporter.
 */
import type { ItemOutcome } from '../contract/action-items';
import type { ActionItem, Postmortem } from '../contract/postmortem';
import { JiraClient, type BulkCreateResult } from '../atlassian/jira';
import { forEachLimit } from '../atlassian/request';
import { ConfluenceClient, type PageProperty, type PageSummary } from '../atlassian/confluence';
import { ACTION_ITEM_PROPERTY, chunk, findTeamField, issueDraft, type IssueContext, issuesForItemsJql, itemRef, itemsToCreate, type ActionItemProperty } from '../domain/action-item-issue';
import { actionItemDescription } from '../adf/action-item-description';
import { loadSettings } from '../store/settings';
import { acquireLease, completeLease, readLease, releaseLease } from '../store/leases';
import { readPageAndPostmortem, updatePostmortem } from '../store/postmortem-document';
import { indexPostmortem } from './index-postmortem';
import { creationTokens, endCreationAttempts, recordAppIssues, startCreationAttempt } from '../store/app-issues';
import { keyPart } from '../store/storage-keys';

/** Longer than one bulk create can take; a lease left by a crashed run frees itself after this. */
export const ITEM_LEASE_SECONDS = 60;
const BULK_LIMIT = 50;
const REMOTE_LINK_CONCURRENCY = 5;

export interface CreateTarget {
  pageId: string;
  localId: string;
  pageUrl: string;
  /** Identifies this run (holder of the item leases). */
  runId: string;
  /**
   * A background run (queue consumer): asUser() there is not documented, so it acts as the app, reporting the
   * issues as this user, whose rights (create issues in the project, see the incident) the resolver checked.
   */
  onBehalfOf?: { accountId: string; incidentVisible: boolean };
}

export interface CreateOptions {
  /** Only these items (default: every accepted item without an issue). */
  itemIds?: string[];
  /** How long to wait for another run that holds an item's lease (ms); 0 = report it as pending. */
  waitForOthersMs?: number;
  /**
   * The document and page as the caller read them moments ago in the same invocation (as the same identity):
   * not read again. The document's version still guards the final write (a clash re-reads and re-applies).
   */
  known?: { stored: PageProperty<Postmortem>; page: PageSummary };
}

/** KVS keys allow few characters and item ids are typed by people: the ref is hashed (src/store/storage-keys.ts). */
const leaseName = (ref: string) => `issue:${keyPart(ref)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jira's per-item refusal in plain words. */
export function refusalReason(error: BulkCreateResult['errors'][number] | undefined): string {
  const messages = [...(error?.elementErrors?.errorMessages ?? []), ...Object.entries(error?.elementErrors?.errors ?? {}).map(([field, msg]) => `${msg} (${field})`)];
  return messages.length ? `Jira refused it: ${messages.join(' ')}` : 'Jira refused it without saying why; try again.';
}

/**
 * Owners typed as "Name <email>" become the Jira account with that email (one lookup per address); an address
 * Jira does not know stays as typed, and Jira's refusal then names the assignee.
 */
async function ownersByEmail(jira: JiraClient, items: ActionItem[]): Promise<Map<string, string>> {
  const emails = [...new Set(items.flatMap((i) => (i.owner?.kind === 'user' && i.owner.id.includes('@') ? [i.owner.id.toLowerCase()] : [])))];
  const found = new Map<string, string>();
  await forEachLimit(emails, 5, async (email) => {
    const user = await jira.findUserByEmail(email);
    if (user) found.set(email, user.accountId);
  });
  return found;
}

function withAccountOwner(item: ActionItem, owners: Map<string, string>): ActionItem {
  const accountId = item.owner?.kind === 'user' ? owners.get(item.owner.id.toLowerCase()) : undefined;
  return accountId ? { ...item, owner: { ...item.owner!, id: accountId } } : item;
}

export async function createActionItemIssues(target: CreateTarget, options: CreateOptions = {}): Promise<{ outcomes: ItemOutcome[]; version?: number }> {
  const background = target.onBehalfOf;
  const jira = background ? JiraClient.asApp() : JiraClient.asUser();
  const asApp = JiraClient.asApp();
  const confluence = background ? ConfluenceClient.asApp() : ConfluenceClient.asUser();
  // The page comes with the document (one request): the index needs its space.
  const { stored, page } = options.known ?? (await readPageAndPostmortem(confluence, target.pageId, target.localId));
  if (!stored) return { outcomes: [] };
  const pm = stored.value;
  const items = itemsToCreate(pm, options.itemIds);
  // Asked-for items that already have their issue (another run got there first) are reported as such.
  const already: ItemOutcome[] = options.itemIds
    ? pm.actionItems.filter((i) => i.issue && options.itemIds!.includes(i.id)).map((i) => ({ itemId: i.id, state: 'existing' as const, issueKey: i.issue!.key, issueId: i.issue!.id }))
    : [];
  if (!items.length) return { outcomes: already, version: stored.version.number };

  const settings = await loadSettings();
  const outcomes = new Map<string, ItemOutcome>();
  const refOf = (item: ActionItem) => itemRef(target.pageId, target.localId, item.id);

  // 1. Leases: this run works only on the items it holds.
  const held: ActionItem[] = [];
  for (const item of items) {
    if (await acquireLease(leaseName(refOf(item)), target.runId, ITEM_LEASE_SECONDS)) held.push(item);
    else outcomes.set(item.id, { itemId: item.id, state: 'pending' });
  }

  const recorded = new Map<string, { key: string; id: string }>();
  try {
    // 2. Recovery: issues created for these items by a run that never recorded them.
    if (held.length) {
      // Only issues carrying the token of one of the app's own attempts for that item; the earliest one wins
      // (a copy of a real issue's property made afterwards has a higher id).
      const tokens = new Map(await Promise.all(held.map(async (i) => [refOf(i), new Set(await creationTokens(refOf(i)))] as const)));
      const candidates = [...tokens.values()].some((t) => t.size) ? await asApp.searchAll(issuesForItemsJql(held.map(refOf).filter((r) => tokens.get(r)?.size)), ['summary'], [ACTION_ITEM_PROPERTY]) : [];
      const found = candidates.sort((a, b) => Number(a.id) - Number(b.id));
      for (const issue of found) {
        const prop = issue.properties?.[ACTION_ITEM_PROPERTY] as ActionItemProperty | undefined;
        const item = held.find((i) => prop && refOf(i) === prop.itemId && typeof prop.creationToken === 'string' && tokens.get(refOf(i))?.has(prop.creationToken));
        if (item && !recorded.has(item.id)) {
          recorded.set(item.id, { key: issue.key, id: issue.id });
          outcomes.set(item.id, { itemId: item.id, state: 'existing', issueKey: issue.key, issueId: issue.id });
        }
      }
    }

    // 3. Bulk create the rest, 50 per call; each item succeeds or fails on its own.
    const now = new Date().toISOString();
    // The incident link is set at creation, so the incident must exist and be visible to this user.
    const incidentVisible = background ? background.incidentVisible : pm.incidentKey && (await jira.getIssue(pm.incidentKey, ['summary']).then(() => true, () => false));
    const linkToIncident = pm.incidentKey && incidentVisible ? pm.incidentKey : undefined;
    const ctx: IssueContext = { pageId: target.pageId, localId: target.localId, pageUrl: target.pageUrl, projectKey: pm.actionItemProjectKey, issueType: pm.actionItemIssueType, priorityByImpact: settings.priorityByImpact, now, linkToIncident };
    const toCreate = held.filter((i) => !recorded.has(i.id));
    const owners = await ownersByEmail(jira, toCreate);
    // Team owners also go into the project's Team field, when its create screen has one (looked up once per run).
    if (toCreate.some((i) => i.owner?.kind === 'team')) ctx.teamField = findTeamField(await jira.createFields(pm.actionItemProjectKey, pm.actionItemIssueType));
    const tokens = toCreate.length ? await startCreationAttempt(toCreate.map(refOf)) : new Map<string, string>();
    for (const group of chunk(toCreate, BULK_LIMIT)) {
      const drafts = group.map((item) => issueDraft(withAccountOwner(item, owners), pm, { ...ctx, creationToken: tokens.get(refOf(item)) }, actionItemDescription(item, pm, target.pageUrl)));
      if (background) for (const draft of drafts) draft.fields.reporter = { accountId: background.accountId };
      const result = await jira.bulkCreate(drafts);
      const failed = new Map(result.errors.filter((e) => typeof e.failedElementNumber === 'number').map((e) => [e.failedElementNumber as number, e]));
      const unnumbered = result.errors.find((e) => typeof e.failedElementNumber !== 'number');
      // Jira lists the created issues in request order, skipping the failed ones — when it numbers each failure.
      // `failedElementNumber` is optional (OpenAPI BulkOperationErrorResult): when the count does not add up, which
      // listed issue is whose cannot be told, so none is recorded by position; a retry's recovery finds each
      // issue Jira did create by its creation token, and creates only the rest.
      const unpaired = group.length - failed.size !== result.issues.length;
      let next = 0;
      group.forEach((item, index) => {
        const issue = failed.has(index) || unpaired ? undefined : result.issues[next++];
        if (!issue) {
          const reason = failed.has(index) || !result.issues.length ? refusalReason(failed.get(index) ?? unnumbered) : `Jira created some of these issues without saying which (${unnumbered ? refusalReason(unnumbered) : 'no reason given'}). Try again: those created are found, not made twice.`;
          outcomes.set(item.id, { itemId: item.id, state: 'failed', reason });
          return;
        }
        recorded.set(item.id, { key: issue.key, id: issue.id });
        outcomes.set(item.id, { itemId: item.id, state: 'created', issueKey: issue.key, issueId: issue.id });
      });
    }

    // The app's own record of what it created: the only thing later steps trust about these issues.
    const siteUrl = URL.canParse(target.pageUrl) ? new URL(target.pageUrl).origin : '';
    await recordAppIssues([...recorded].map(([itemId, issue]) => ({ issueId: issue.id, issueKey: issue.key, itemRef: itemRef(target.pageId, target.localId, itemId), pageId: target.pageId, localId: target.localId, postmortemTitle: pm.title, incidentKey: pm.incidentKey, siteUrl, createdAt: now })));

    // 4. The way back to the postmortem page (the incident link was made at creation).
    await forEachLimit([...recorded], REMOTE_LINK_CONCURRENCY, async ([itemId, issue]) => {
      await asApp.upsertRemoteLink(issue.key, {
        globalId: `pft-postmortem-item:${itemRef(target.pageId, target.localId, itemId)}`,
        relationship: 'postmortem',
        object: { url: target.pageUrl, title: `Postmortem: ${pm.title}`, summary: 'The blameless postmortem this action item came from', icon: { title: 'Postmortem' } },
      });
    });

    // 5. Write the keys into the postmortem, on top of whatever people saved meanwhile.
    let version: number | undefined = stored.version.number;
    if (recorded.size) {
      const saved = await updatePostmortem(confluence, target.pageId, target.localId, (current: Postmortem) => ({
        ...current,
        actionItems: current.actionItems.map((i) => (recorded.has(i.id) && !i.issue ? { ...i, issue: recorded.get(i.id) } : i)),
      }), undefined, stored);
      version = saved.version.number;
      await indexPostmortem(confluence, target.pageId, target.localId, saved.value, page);
      await endCreationAttempts([...recorded.keys()].map((itemId) => itemRef(target.pageId, target.localId, itemId)));
      for (const [itemId, issue] of recorded) await completeLease(leaseName(itemRef(target.pageId, target.localId, itemId)), target.runId, issue.key, ITEM_LEASE_SECONDS);
    }
    for (const item of held) if (!recorded.has(item.id)) await releaseLease(leaseName(refOf(item)));

    // 6. Items another run holds: wait a little for its result.
    const deadline = Date.now() + (options.waitForOthersMs ?? 0);
    for (const item of items.filter((i) => outcomes.get(i.id)?.state === 'pending')) {
      for (;;) {
        const lease = await readLease<string>(leaseName(refOf(item)));
        if (lease?.result) {
          outcomes.set(item.id, { itemId: item.id, state: 'existing', issueKey: lease.result });
          break;
        }
        if (!lease || Date.now() >= deadline) break;
        await sleep(200);
      }
    }
    return { outcomes: [...already, ...items.map((i) => outcomes.get(i.id) ?? { itemId: i.id, state: 'pending' as const })], version };
  } catch (e) {
    // Free the items whose outcome was not recorded, so that a retry can go on at once (recovery by JQL
    // prevents a duplicate). A crash that skips this leaves leases that expire on their own.
    for (const item of held) await releaseLease(leaseName(refOf(item))).catch(() => undefined);
    throw e;
  }
}
