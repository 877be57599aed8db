/**
 * The postmortem macro: load and save the document stored with the page (one page property per macro,
 * read and written as the user, so Confluence's page permissions apply), with optimistic concurrency and
 * a three-way merge so that two people saving at once never lose each other's text.
 */
import { makeResolver } from '@forge/resolver';
import type { LoadedPostmortem, PersonMatch, PostmortemMacroDefinitions, SaveOutcome } from '../contract/postmortem-macro';
import type { Postmortem } from '../contract/postmortem';
import { ConfluenceClient, isConflict, pageUrl, type PageProperty } from '../atlassian/confluence';
import { isProtectedOwnerChange, ownerChangeRefusal, withOwnerChange } from '../domain/owner-rule';
import { canTransition, mergePostmortems, newPostmortem, validatePostmortem } from '../domain/postmortem';
import { loadSettings } from '../store/settings';
import { indexPostmortem } from '../store/postmortem-index';
import { respond, UserError } from './respond';
import type { ActionItemDefinitions, CreateRun, IssueTarget, LiveIssue } from '../contract/action-items';
import { JiraClient, type SearchedIssue } from '../atlassian/jira';
import { chunk, issuesForItemsJql, itemRef, itemsToCreate } from '../domain/action-item-issue';
import { createActionItemIssues } from '../jobs/create-action-item-issues';
import { CHUNK, pushCreateIssues } from '../jobs/create-issues-consumer';
import { RETRY_DELAY_SECONDS } from '../jobs/pending-items';
import { loadRun, saveRun } from '../store/create-runs';
import { randomUUID } from 'node:crypto';
import { propertyKey } from '../store/postmortem-document';
import type { PublishDefinitions } from '../contract/publish';
import { publishDefinitions } from './publish';
import { APP_ID, ITEM_ID, PAGE_ID } from '../domain/validation';

export { propertyKey } from '../store/postmortem-document';

interface MacroContext {
  accountId?: string;
  localId?: string;
  siteUrl?: string;
  extension?: { content?: { id?: string }; space?: { key?: string } };
}

/** The page and macro this call is about: from the invocation context the product supplies, never from the payload. */
export function macroTarget(context: MacroContext): { pageId: string; localId: string; accountId: string } {
  const pageId = context.extension?.content?.id;
  const localId = context.localId;
  if (!pageId || !PAGE_ID.test(String(pageId)) || !localId || !APP_ID.test(localId)) {
    throw new UserError({ code: 'invalid-input', message: 'This macro is not on a saved page yet: publish the page, then fill in the postmortem.' });
  }
  if (!context.accountId) throw new UserError({ code: 'forbidden', message: 'Sign in to work on this postmortem.' });
  return { pageId: String(pageId), localId, accountId: context.accountId };
}

const MAX_MERGE_ATTEMPTS = 3;

/** Runs up to this many items inside the UI call (25 s); larger runs go to the background queue. */
export const INLINE_ITEMS = 20;

function pageUrlFor(context: MacroContext, pageId: string, webui?: string): string {
  return pageUrl(String(context.siteUrl ?? ''), pageId, webui);
}

export const postmortemMacroResolver = makeResolver<PostmortemMacroDefinitions & ActionItemDefinitions & PublishDefinitions>({
  // Publishing (src/resolvers/publish.ts): only through these calls, so that its side effects always happen.
  ...publishDefinitions(macroTarget, (context, pageId) => pageUrlFor(context, pageId)),

  loadPostmortem: ({ context }) =>
    respond(async (): Promise<LoadedPostmortem> => {
      const { pageId, localId } = macroTarget(context);
      const confluence = ConfluenceClient.asUser();
      // One Confluence request for the page, the viewer's rights on it and the document (the permission check is
      // the viewer's own operations on the page, as the user); then the items' live state from Jira, so that
      // opening the macro needs no second invoke and no second read of the property.
      const [{ page, property, canEdit }, settings] = await Promise.all([
        confluence.getPageForEditing<Postmortem>(pageId, propertyKey(localId)),
        loadSettings(),
      ]);
      // Live status is a courtesy on open: if Jira cannot answer, the document still loads and the macro asks again.
      const live = property ? await liveIssues(property.value, pageId, localId, String(context.siteUrl ?? '')).catch(() => undefined) : [];
      const postmortem =
        property?.value ??
        newPostmortem({
          title: page.title.replace(/^Postmortem:\s*/i, ''),
          actionItemProjectKey: settings.actionItemProjectKey,
          actionItemIssueType: settings.actionItemIssueType,
        });
      return {
        postmortem,
        version: property?.version.number ?? 0,
        canEdit,
        page: { id: page.id, title: page.title, url: pageUrlFor(context, page.id, page._links?.webui) },
        settings: { timeZone: settings.timeZone, holidays: settings.holidays, businessDaysOnly: settings.businessDaysOnly },
        ...(live ? { live } : {}),
      };
    }),

  savePostmortem: ({ payload, context }) =>
    respond(async (): Promise<SaveOutcome> => {
      const { pageId, localId, accountId } = macroTarget(context);
      const checked = validatePostmortem(payload?.postmortem);
      if (!checked.ok) throw new UserError({ code: 'invalid-input', message: 'Some fields need fixing before the postmortem can be saved; nothing was saved.', fieldErrors: checked.fieldErrors });
      const base = payload?.base ? validatePostmortem(payload.base) : undefined;
      if (base && !base.ok) throw new UserError({ code: 'invalid-input', message: 'The version you started from could not be read; reload the page.' });
      const baseVersion = Number(payload?.baseVersion ?? 0);
      if (!Number.isInteger(baseVersion) || baseVersion < 0) throw new UserError({ code: 'invalid-input', message: 'Unknown version; reload the page.' });

      const confluence = ConfluenceClient.asUser();
      // Checked here, not only in the UI: a request can come from anywhere.
      if (!(await confluence.hasContentPermission(pageId, accountId, 'update'))) {
        throw new UserError({ code: 'forbidden', message: 'Only people who can edit this page can change its postmortem.' });
      }
      const key = propertyKey(localId);
      let mine = checked.value;
      let myBase: Postmortem = base?.ok ? base.value : mine;
      let expected = baseVersion;

      for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt += 1) {
        const current = await confluence.findProperty<Postmortem>(pageId, key);
        const currentVersion = current?.version.number ?? 0;
        if (current && currentVersion !== expected) {
          // Someone saved since this editor loaded: fold their changes in, or hand the clash to the person.
          const theirs = current.value;
          const { merged, conflicts } = mergePostmortems(myBase, mine, theirs);
          if (conflicts.length) return { kind: 'conflict', theirs, theirsVersion: currentVersion, merged, conflicts };
          mine = merged;
          myBase = theirs;
          expected = currentVersion;
        }
        // Issue links are written by the app when it creates the issues, never taken from an editor's payload.
        const links = new Map((current?.value.actionItems ?? []).filter((i) => i.issue).map((i) => [i.id, i.issue]));
        mine = { ...mine, actionItems: mine.actionItems.map(({ issue: _ignored, ...item }) => (links.has(item.id) ? { ...item, issue: links.get(item.id) } : item)) };
        // The owner history is the app's, as stored; an owner change once in review needs the owner or an admin.
        const { ownerChanges: _history, ...fields } = mine;
        mine = current?.value.ownerChanges ? { ...fields, ownerChanges: current.value.ownerChanges } : fields;
        if (current && isProtectedOwnerChange(current.value, mine)) {
          const jira = JiraClient.asUser();
          const isOwner = current.value.incidentOwner?.kind === 'user' && current.value.incidentOwner.id === accountId;
          const refusal = ownerChangeRefusal(current.value, { accountId, isAdmin: !isOwner && !!current.value.incidentOwner && (await jira.hasGlobalPermission('ADMINISTER')) });
          if (refusal) throw new UserError({ code: 'forbidden', message: `${refusal} Nothing was saved.`, fieldErrors: { 'incidentOwner.id': refusal } });
          const me = await jira.myself().catch(() => ({ accountId, displayName: '' }));
          mine = { ...mine, ownerChanges: withOwnerChange(current.value.ownerChanges, { at: new Date().toISOString(), byAccountId: accountId, byName: me.displayName, from: current.value.incidentOwner, to: mine.incidentOwner }) };
        }
        // A new place for the action items must exist for this person (checked only when it changes).
        if (current && (mine.actionItemProjectKey !== current.value.actionItemProjectKey || mine.actionItemIssueType !== current.value.actionItemIssueType)) {
          await checkIssueTarget(mine.actionItemProjectKey, mine.actionItemIssueType);
        }
        const storedStatus = current?.value.status ?? 'draft';
        if (mine.status === 'published' && storedStatus !== 'published') {
          throw new UserError({ code: 'invalid-input', message: 'Use Publish to publish a reviewed postmortem: it labels the page and announces it.', fieldErrors: { status: 'Only Publish marks a postmortem as published.' } });
        }
        if (mine.status !== storedStatus && !canTransition(storedStatus, mine.status)) {
          throw new UserError({ code: 'invalid-input', message: `A postmortem cannot go from ${storedStatus} to ${mine.status}.`, fieldErrors: { status: 'Move one step at a time; a published postmortem stays published.' } });
        }
        try {
          const saved: PageProperty<Postmortem> = current
            ? await confluence.updateProperty(pageId, current, mine, currentVersion + 1)
            : await confluence.createProperty(pageId, key, mine);
          await indexPostmortem(confluence, pageId, localId, saved.value);
          return { kind: 'saved', version: saved.version.number, postmortem: saved.value, merged: expected !== baseVersion };
        } catch (e) {
          // Lost a race between our read and our write (409), or someone created the property first (400 on create): read again.
          if (isConflict(e) || (!current && (e as { status?: number }).status === 400)) continue;
          throw e;
        }
      }
      throw new UserError({ code: 'conflict', message: 'The postmortem is being saved by several people at once. Your text is kept; try again in a moment.' });
    }),

  createIssues: ({ payload, context }) =>
    respond(async (): Promise<CreateRun> => {
      const { pageId, localId, accountId } = macroTarget(context);
      const itemIds = payload?.itemIds;
      if (itemIds !== undefined && (!Array.isArray(itemIds) || itemIds.length > 500 || !itemIds.every((id) => typeof id === 'string' && ITEM_ID.test(id)))) {
        throw new UserError({ code: 'invalid-input', message: 'Unknown action items.' });
      }
      // One read as the user: the page, their rights on it (only editors create its issues) and the document.
      const { page, canEdit, property: stored } = await ConfluenceClient.asUser().getPageForEditing<Postmortem>(pageId, propertyKey(localId));
      if (!canEdit) throw new UserError({ code: 'forbidden', message: 'Only people who can edit this page can create its Jira issues.' });
      if (!stored) throw new UserError({ code: 'invalid-input', message: 'Save the postmortem before creating its Jira issues.' });
      const todo = itemsToCreate(stored.value, itemIds);
      const pageUrl = pageUrlFor(context, pageId, page._links?.webui);
      const runId = randomUUID();
      // Queue consumers act as the app (no user there), so this person's rights are checked now, before any
      // background event is pushed on their behalf.
      const backgroundAuthority = async () => {
        const jira = JiraClient.asUser();
        if (!(await jira.canCreateIssues(stored.value.actionItemProjectKey))) {
          throw new UserError({ code: 'forbidden', message: `You cannot create issues in the Jira project ${stored.value.actionItemProjectKey}; nothing was created.` });
        }
        const incidentKey = stored.value.incidentKey;
        return { accountId, incidentVisible: Boolean(incidentKey) && (await jira.getIssue(incidentKey!, ['summary']).then(() => true, () => false)) };
      };
      if (todo.length <= INLINE_ITEMS) {
        const { outcomes, version } = await createActionItemIssues({ pageId, localId, pageUrl, runId }, { itemIds: itemIds ?? todo.map((i) => i.id), waitForOthersMs: 8_000, known: { stored, page } });
        const pending = outcomes.filter((o) => o.state === 'pending').map((o) => o.itemId);
        if (!pending.length) return { runId, status: 'done', total: outcomes.length, outcomes, version };
        // Still held by another run (maybe one that died): never "done" with items pending; a delayed retry
        // finishes them once the leases expire (src/jobs/pending-items.ts), and the macro follows the run.
        const onBehalfOf = await backgroundAuthority();
        await saveRun({ runId, status: 'running', total: outcomes.length, outcomes, version, pageId, localId, accountId });
        await pushCreateIssues({ runId, pageId, localId, pageUrl, itemIds: pending.slice(0, CHUNK), rest: pending.slice(CHUNK), retry: [], round: 1, onBehalfOf }, RETRY_DELAY_SECONDS);
        return { runId, status: 'running', total: outcomes.length, outcomes, version };
      }
      // Too much for one UI call: the queue works through it, 50 items per event, and the UI follows the run.
      const onBehalfOf = await backgroundAuthority();
      const ids = todo.map((i) => i.id);
      const run = { runId, status: 'running' as const, total: ids.length, outcomes: ids.map((itemId) => ({ itemId, state: 'pending' as const })), pageId, localId, accountId };
      await saveRun(run);
      await pushCreateIssues({ runId, pageId, localId, pageUrl, itemIds: ids.slice(0, CHUNK), rest: ids.slice(CHUNK), onBehalfOf });
      return { runId, status: run.status, total: run.total, outcomes: run.outcomes };
    }),

  getCreateRun: ({ payload, context }) =>
    respond(async (): Promise<CreateRun> => {
      const { pageId, localId, accountId } = macroTarget(context);
      const runId = payload?.runId;
      // Run ids are the app's UUIDs; anything else names no run (and must not reach storage as a key).
      const run = typeof runId === 'string' && APP_ID.test(runId) ? await loadRun(runId) : undefined;
      // A run is only shown on the macro it belongs to.
      // ... and only to the person who started it (the run lists issue keys and Jira's refusals, read as them).
      if (!run || run.pageId !== pageId || run.localId !== localId || run.accountId !== accountId) throw new UserError({ code: 'not-found', message: 'That run is unknown or finished long ago.' });
      return { runId: run.runId, status: run.status, total: run.total, outcomes: run.outcomes, version: run.version };
    }),

  findPeople: ({ payload, context }) =>
    respond(async (): Promise<PersonMatch[]> => {
      macroTarget(context);
      const query = typeof payload?.query === 'string' ? payload.query.trim() : '';
      if (query.length < 2 || query.length > 100) throw new UserError({ code: 'invalid-input', message: 'Type 2 to 100 characters to look a person up.', fieldErrors: { query: 'Type 2 to 100 characters.' } });
      // As the viewer: only people they may see in Jira are suggested.
      return JiraClient.asUser().searchPeople(query);
    }),

  getIssueTargets: ({ context }) =>
    respond(async (): Promise<IssueTarget[]> => {
      macroTarget(context);
      const projects = await JiraClient.asUser().projectsWithIssueTypes();
      return projects.map((p) => ({ key: p.key, name: p.name, issueTypes: (p.issueTypes ?? []).filter((t) => !t.subtask).map((t) => t.name) })).filter((p) => p.issueTypes.length);
    }),

  getLiveIssues: ({ context }) =>
    respond(async (): Promise<LiveIssue[]> => {
      const { pageId, localId } = macroTarget(context);
      const stored = await ConfluenceClient.asUser().findProperty<Postmortem>(pageId, propertyKey(localId));
      return stored ? liveIssues(stored.value, pageId, localId, String(context.siteUrl ?? '')) : [];
    }),
});

async function checkIssueTarget(projectKey: string, issueType: string): Promise<void> {
  const project = await JiraClient.asUser().findProject(projectKey);
  if (!project) {
    throw new UserError({ code: 'invalid-input', message: 'The Jira project for action items was not found; nothing was saved.', fieldErrors: { actionItemProjectKey: `There is no Jira project ${projectKey} that you can see.` } });
  }
  const types = (project.issueTypes ?? []).filter((t) => !t.subtask).map((t) => t.name);
  if (types.length && !types.includes(issueType)) {
    throw new UserError({ code: 'invalid-input', message: 'That issue type is not in the project; nothing was saved.', fieldErrors: { actionItemIssueType: `${project.key} has no issue type “${issueType}”: use ${types.join(', ')}.` } });
  }
}

/**
 * The live Jira state of the items that have an issue: one search per 100 items, as the viewer, on the indexed
 * action-item property. Issues they may not see simply do not come back (a `key in (...)` naming an invisible
 * issue would be refused outright).
 */
async function liveIssues(stored: Postmortem, pageId: string, localId: string, siteUrl: string): Promise<LiveIssue[]> {
  const withIssue = stored.actionItems.filter((i) => i.issue);
  if (!withIssue.length) return [];
  const jira = JiraClient.asUser();
  const seen = new Map<string, SearchedIssue>();
  for (const group of chunk(withIssue, 100)) {
    const found = await jira.searchAll(issuesForItemsJql(group.map((i) => itemRef(pageId, localId, i.id))), ['status', 'assignee', 'priority', 'duedate']);
    for (const issue of found) seen.set(issue.key, issue);
  }
  return withIssue.map((item): LiveIssue => {
    const issue = seen.get(item.issue!.key);
    if (!issue) return { itemId: item.id, issueKey: item.issue!.key, visible: false };
    const f = issue.fields;
    return {
      itemId: item.id,
      issueKey: item.issue!.key,
      visible: true,
      status: { name: f.status?.name ?? '', category: f.status?.statusCategory?.key ?? 'new' },
      assignee: f.assignee?.displayName ?? null,
      priority: f.priority?.name ?? null,
      dueDate: f.duedate ?? null,
      url: `${siteUrl}/browse/${item.issue!.key}`,
    };
  });
}
