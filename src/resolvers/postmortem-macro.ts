/**
 * The postmortem macro: load and save the document stored with the page (one page property per macro,
 * read and written as the user, so Confluence's page permissions apply), with optimistic concurrency and
 * a three-way merge so that two people saving at once never lose each other's text.
 */
import { makeResolver } from '@forge/resolver';
import type { LoadedPostmortem, PostmortemMacroDefinitions, SaveOutcome } from '../contract/postmortem-macro';
import type { Postmortem } from '../contract/postmortem';
import { ConfluenceClient, isConflict, type PageProperty } from '../atlassian/confluence';
import { canTransition, mergePostmortems, newPostmortem, validatePostmortem } from '../domain/postmortem';
import { loadSettings } from '../store/settings';
import { upsertIndexEntry } from '../store/postmortem-index';
import { respond, UserError } from './respond';

/** The page property that holds one macro's postmortem. */
export const propertyKey = (localId: string) => `pft-postmortem-${localId}`;

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
  if (!pageId || !localId || !/^[\w-]{1,100}$/.test(localId)) {
    throw new UserError({ code: 'invalid-input', message: 'This macro is not on a saved page yet: publish the page, then fill in the postmortem.' });
  }
  if (!context.accountId) throw new UserError({ code: 'forbidden', message: 'Sign in to work on this postmortem.' });
  return { pageId: String(pageId), localId, accountId: context.accountId };
}

const MAX_MERGE_ATTEMPTS = 3;

export const postmortemMacroResolver = makeResolver<PostmortemMacroDefinitions>({
  loadPostmortem: ({ context }) =>
    respond(async (): Promise<LoadedPostmortem> => {
      const { pageId, localId, accountId } = macroTarget(context);
      const confluence = ConfluenceClient.asUser();
      const [page, property, settings, canEdit] = await Promise.all([
        confluence.getPage(pageId),
        confluence.findProperty<Postmortem>(pageId, propertyKey(localId)),
        loadSettings(),
        confluence.hasContentPermission(pageId, accountId, 'update'),
      ]);
      const postmortem =
        property?.value ??
        newPostmortem({
          title: page.title.replace(/^Postmortem:\s*/i, ''),
          actionItemProjectKey: settings.actionItemProjectKey,
          actionItemIssueType: settings.actionItemIssueType,
        });
      const siteUrl = String(context.siteUrl ?? '');
      return {
        postmortem,
        version: property?.version.number ?? 0,
        canEdit,
        page: { id: page.id, title: page.title, url: page._links?.webui ? `${siteUrl}/wiki${page._links.webui}` : `${siteUrl}/wiki/pages/${page.id}` },
        settings: { timeZone: settings.timeZone, holidays: settings.holidays, businessDaysOnly: settings.businessDaysOnly },
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
        const storedStatus = current?.value.status ?? 'draft';
        if (mine.status !== storedStatus && !canTransition(storedStatus, mine.status)) {
          throw new UserError({ code: 'invalid-input', message: `A postmortem cannot go from ${storedStatus} to ${mine.status}.`, fieldErrors: { status: 'Move one step at a time; a published postmortem stays published.' } });
        }
        try {
          const saved: PageProperty<Postmortem> = current
            ? await confluence.updateProperty(pageId, current, mine, currentVersion + 1)
            : await confluence.createProperty(pageId, key, mine);
          await register(confluence, pageId, localId, saved.value);
          return { kind: 'saved', version: saved.version.number, postmortem: saved.value, merged: expected !== baseVersion };
        } catch (e) {
          // Lost a race between our read and our write (409), or someone created the property first (400 on create): read again.
          if (isConflict(e) || (!current && (e as { status?: number }).status === 400)) continue;
          throw e;
        }
      }
      throw new UserError({ code: 'conflict', message: 'The postmortem is being saved by several people at once. Your text is kept; try again in a moment.' });
    }),
});

async function register(confluence: ConfluenceClient, pageId: string, localId: string, postmortem: Postmortem): Promise<void> {
  const page = await confluence.getPage(pageId);
  const space = await confluence.getSpace(page.spaceId);
  await upsertIndexEntry({ pageId, localId, spaceKey: space.key, postmortem, now: new Date().toISOString() });
}
