/**
 * adfExport of the postmortem macro: when a page is exported (PDF, Word) Confluence asks for ADF in place
 * of the iframe. Returns the whole postmortem document, or a short note when there is none yet.
 */
import type { Postmortem } from '../contract/postmortem';
import { ConfluenceClient } from '../atlassian/confluence';
import { AtlassianError } from '../atlassian/request';
import { postmortemDocument } from '../adf/postmortem-document';
import { loadSettings } from '../store/settings';
import { propertyKey } from './postmortem-macro';
import { currentDocument } from '../store/postmortem-document';
import { APP_ID, PAGE_ID } from '../domain/validation';

interface ExportPayload {
  exportType?: string;
  context?: { localId?: string; siteUrl?: string; accountId?: string; extension?: { content?: { id?: string } } };
}

export async function postmortemExport(payload: ExportPayload, invocation?: { principal?: { accountId?: string } }): Promise<unknown> {
  const pageId = payload.context?.extension?.content?.id;
  const localId = payload.context?.localId;
  const note = (message: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: message }] }] });
  if (!pageId || !localId || !PAGE_ID.test(String(pageId)) || !APP_ID.test(String(localId))) return note('Postmortem (not saved yet).');
  // The person exporting reads with their own rights; the platform runs adfExport for them.
  const confluence = invocation?.principal?.accountId || payload.context?.accountId ? ConfluenceClient.asUser() : ConfluenceClient.asApp();
  let property;
  try {
    property = currentDocument(await confluence.findProperty<Postmortem>(String(pageId), propertyKey(localId)));
  } catch (e) {
    // A page this person cannot read (or that is gone): the export says so instead of failing.
    if (e instanceof AtlassianError && (e.status === 403 || e.status === 404)) return note('Postmortem: not available to you.');
    throw e;
  }
  if (!property) return note('Postmortem: nothing has been written yet.');
  const settings = await loadSettings();
  return postmortemDocument(property.value, { timeZone: settings.timeZone, siteUrl: payload.context?.siteUrl ?? '' });
}
