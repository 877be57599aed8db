/**
 * The postmortem index (Confluence global page and macro): the Index, Insights and Search tabs. Checks the
 * payload and hands it to the use cases (src/services/postmortem-index.ts), which read only what the viewer may
 * see, as the viewer.
 */
import { makeResolver } from '@forge/resolver';
import { z } from 'zod';
import type { IndexOptions, IndexPage, Insights, PostmortemIndexDefinitions, SearchPage } from '../contract/postmortem-index';
import { POSTMORTEM_STATUSES, SEVERITIES } from '../contract/postmortem';
import { decodeToken, searchWordsOf, type PageToken } from '../domain/postmortem-index';
import { isCalendarDate } from '../domain/time-zone';
import { fieldErrorsOf } from '../domain/validation';
import { indexOptions, indexPage, insights, searchPostmortems } from '../services/postmortem-index';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';

// ---------- input ----------

const calendarDate = z.string().refine(isCalendarDate, 'Use a date written YYYY-MM-DD.');
const filterShape = {
  status: z.enum(POSTMORTEM_STATUSES, { error: 'Pick draft, in review, reviewed or published.' }).optional(),
  severity: z.enum(SEVERITIES, { error: 'Pick SEV1 to SEV4.' }).optional(),
  spaceKey: z.string().regex(/^~?[A-Za-z0-9_-]{1,255}$/, 'Not a Confluence space key.').optional(),
  tag: z.string().trim().min(1, 'Type a tag.').max(50, 'Tags are at most 50 characters.').optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
};
const pageToken = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_-]+$/, 'Not a page token.');
const indexInput = z.object({ ...filterShape, pageToken: pageToken.optional(), pageSize: z.number().int().min(1).max(100).optional() }).strict();
const insightsInput = z.object({ from: filterShape.from, to: filterShape.to, spaceKey: filterShape.spaceKey, severity: filterShape.severity }).strict();
const searchInput = z.object({ text: z.string().max(200, 'Search for at most 200 characters.'), from: filterShape.from, to: filterShape.to, pageToken: pageToken.optional() }).strict();

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    throw new UserError({ code: 'invalid-input', message: `The ${what} cannot be shown for this request.`, fieldErrors: fieldErrorsOf(parsed.error, 'payload') });
  }
  const value = parsed.data as T & { from?: string; to?: string };
  if (value.from && value.to && value.from > value.to) {
    throw new UserError({ code: 'invalid-input', message: `The ${what} cannot be shown for this request.`, fieldErrors: { to: 'The end date comes before the start date.' } });
  }
  return value;
}

/** A page token the app handed out, or the first page; anything else is refused. */
function tokenOf(text: string | undefined): PageToken {
  const token = decodeToken(text);
  if (!token) throw new UserError({ code: 'invalid-input', message: 'These results have expired: reload the list.', fieldErrors: { pageToken: 'Reload the list.' } });
  return token;
}

interface IndexContext {
  siteUrl?: string;
  extension?: { type?: string };
}

const siteOf = (context: unknown) => String((context as IndexContext).siteUrl ?? '');

export const postmortemIndexResolver = makeResolver<PostmortemIndexDefinitions>({
  getIndexOptions: ({ context }) =>
    respond(async (): Promise<IndexOptions> => indexOptions(await loadSettings(), (context as IndexContext).extension?.type === 'macro')),

  getIndexPage: ({ payload, context }) =>
    respond(async (): Promise<IndexPage> => {
      const { pageToken: text, ...input } = parse(indexInput, payload, 'postmortem index');
      const token = tokenOf(text);
      return indexPage(input, token, await loadSettings(), siteOf(context));
    }),

  getInsights: ({ payload, context }) =>
    respond(async (): Promise<Insights> => {
      const input = parse(insightsInput, payload, 'insights');
      return insights(input, await loadSettings(), siteOf(context));
    }),

  searchPostmortems: ({ payload, context }) =>
    respond(async (): Promise<SearchPage> => {
      const input = parse(searchInput, payload, 'search');
      const words = searchWordsOf(input.text);
      if (!words.length) throw new UserError({ code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word to look for.' } });
      const token = tokenOf(input.pageToken);
      return searchPostmortems(input, words, token, await loadSettings(), siteOf(context));
    }),
});
