/**
 * Property-based fuzzing (fast-check) of the chat-log parser and of every JQL the app builds from user
 * input, with the local Jira's JQL parser (local-site/jira/jql) as the judge of what Jira would read:
 * - any pasted text becomes storable timeline entries (or, for bad options, a RangeError), nothing dropped;
 * - user text only ever enters JQL as one string literal holding exactly that text;
 * - the report's word search, the item lookup and the admin's incident JQL cannot change the query's shape;
 * - end to end, a report search for any text answers with rows the viewer may see, or a typed refusal.
 */
import fc from 'fast-check';
import { parseChatLog } from '../../src/domain/chat-log';
import { newPostmortem } from '../../src/domain/postmortem-defaults';
import { validatePostmortem } from '../../src/domain/postmortem-schema';
import { isCalendarDate } from '../../src/domain/time-zone';
import { issuesForItemsJql, jqlString } from '../../src/domain/action-item-issue';
import { baseJql, pageJql, searchWords } from '../../src/domain/follow-through-report';
import { incidentSearchJql } from '../../src/domain/follow-up';
import { validateSettings, DEFAULT_SETTINGS } from '../../src/domain/settings';
import { parse, type Node } from '../../local-site/jira/jql/parser';
import { JqlError } from '../../local-site/jira/jql';
import type { Result } from '../../src/contract/result';
import type { ReportPage } from '../../src/contract/report';
import { useLocalSite } from './support/site';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';

const SEED = Number(process.env.FUZZ_SEED ?? 7_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const opts = { seed: SEED, numRuns: RUNS };

// ---------------------------------------------------------------------------------------------------------
// Chat log

const zones = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham');
const calendarDate = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
const chatLine = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.tuple(two, two, fc.string({ maxLength: 12 }), fc.string({ maxLength: 80 })).map(([h, m, who, msg]) => `${h}:${m} ${who}: ${msg}`),
  fc.tuple(calendarDate, two, two, two, fc.constantFrom('', 'Z', '+05:30', '-0800', ' UTC'), fc.string({ maxLength: 60 })).map(([d, h, m, sec, z, msg]) => `[${d} ${h}:${m}:${sec}${z}] bob: ${msg}`),
  fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 13 }), two, fc.constantFrom('AM', 'PM', 'p.m.', '')).map(([who, h, m, ap]) => `${who}  ${h}:${m} ${ap}`),
  fc.tuple(two, two).map(([h, m]) => `${h}:${m}`),
  fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom('26', '2026'), two, two, fc.string({ maxLength: 40 })).map(([a, b, y, h, m, msg]) => `${a}/${b}/${y}, ${h}:${m} - Carol: ${msg}`),
  fc.constantFrom('<script>window.__pwned=1</script>', '10:02 alice: not resolved yet', '10:03 bob: rolled back, all clear'),
);
const chatLog = fc.tuple(fc.array(chatLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, nl]) => lines.join(nl));

describe(`chat-log parser (FUZZ_SEED=${SEED})`, () => {
  it('turns any pasted text into timeline entries a postmortem can store, dropping no line', () => {
    fc.assert(
      fc.property(chatLog, calendarDate, zones, fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { nil: undefined }), (text, date, timeZone, idPrefix) => {
        const { entries, unparsed } = parseChatLog(text, { date, timeZone, idPrefix });
        const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
        // Nothing invented, nothing dropped: each entry's text comes from a line, and each line gives at most one entry.
        expect(entries.length).toBeLessThanOrEqual(lines.length);
        if (lines.length) expect(entries.length).toBeGreaterThan(0);
        for (const e of entries) {
          expect(e.text.length).toBeGreaterThan(0);
          expect(lines.some((l) => l.includes(e.text))).toBe(true);
        }
        expect(unparsed).toBe(entries.filter((e) => e.at === null).length);
        expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
        expect(entries.every((e) => e.id.startsWith(`${idPrefix ?? 'chat'}-`))).toBe(true);
        // The entries pass the same validation as a save.
        const pm = { ...newPostmortem({ title: 'Fuzz', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task' }), timeline: entries };
        const checked = validatePostmortem(pm);
        expect(checked.ok ? 'ok' : checked.fieldErrors).toBe('ok');
      }),
      opts,
    );
  });

  it('refuses bad options with a RangeError, never anything else', () => {
    fc.assert(
      fc.property(chatLog, fc.oneof(calendarDate, fc.string({ maxLength: 12 })), fc.oneof(zones, fc.string({ maxLength: 20 })), (text, date, timeZone) => {
        try {
          parseChatLog(text, { date, timeZone });
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          return;
        }
        expect(isCalendarDate(date)).toBe(true);
      }),
      opts,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// JQL

const userText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.array(fc.constantFrom('"', "'", '\\', '(', ')', ' OR ', ' AND ', 'NOT ', 'project = SEC', 'ORDER BY key', ',', '~', '!', '=', '&&', '||', '\n', '\\u0022', 'empty', 'x'), { maxLength: 12 }).map((parts) => parts.join('')),
);

/** Top-level AND children (the parser nests a chain of ANDs in one node). */
const conjuncts = (n: Node | undefined): Node[] => (n?.kind === 'and' ? n.children.flatMap(conjuncts) : n ? [n] : []);

describe(`JQL built from user input (FUZZ_SEED=${SEED})`, () => {
  it('jqlString turns any text into one string literal holding exactly that text', () => {
    fc.assert(
      fc.property(userText, (s) => {
        const q = parse(`summary ~ ${jqlString(s)}`);
        expect(q.orderBy).toBeUndefined();
        expect(q.where).toEqual({ kind: 'clause', field: expect.objectContaining({ name: 'summary' }), operator: '~', operand: expect.objectContaining({ kind: 'value', text: s, quoted: true }), pos: 0 });
      }),
      opts,
    );
  });

  it('the action-item lookup names exactly the items asked for, whatever their ids', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^\d{1,19}$/), fc.stringMatching(/^[\w-]{1,100}$/), userText), { minLength: 1, maxLength: 20 }), (refs) => {
        const texts = refs.map(([page, local, item]) => `${page}/${local}/${item}`);
        const q = parse(issuesForItemsJql(texts));
        expect(q.where).toMatchObject({ kind: 'clause', field: { name: 'pmItemId' }, operator: 'in', operand: { kind: 'list' } });
        const items = (q.where as Extract<Node, { kind: 'clause' }>).operand as { items: { text: string; quoted: boolean }[] };
        expect(items.items.map((i) => [i.text, i.quoted])).toEqual(texts.map((t) => [t, true]));
      }),
      opts,
    );
  });

  it('the report search adds one summary ~ "words" condition and nothing else', () => {
    fc.assert(
      fc.property(userText, fc.constantFrom(null, ['OPS'], ['OPS', 'SEC']), fc.constantFrom(null, 'assignee IS EMPTY', '(priority IS EMPTY) OR (duedate < "2026-11-02")'), (text, projects, filter) => {
        const words = searchWords(text);
        if (words === null) return; // refused with "Search for words" before any JQL is built
        expect(words).toMatch(/^[\p{Ll}\p{Lo}\p{Lm}\p{Lt}\p{N}\p{M}'_.\- ]+$/u);
        const base = baseJql(projects ? [...projects] : null);
        const built = parse(pageJql(base, filter, words));
        const without = parse(pageJql(base, filter, null));
        const parts = conjuncts(built.where);
        // The same query as without the search, plus exactly one condition on the summary holding the words.
        expect(parts.slice(0, -1)).toEqual(conjuncts(without.where).map((n) => expect.objectContaining({ kind: n.kind })));
        expect(parts[parts.length - 1]).toMatchObject({ kind: 'clause', field: { name: 'summary' }, operator: '~', operand: { kind: 'value', text: words, quoted: true } });
        expect(built.orderBy?.map((o) => o.field.name)).toEqual(['created']);
      }),
      opts,
    );
  });

  it("the admin's incident JQL cannot escape its parentheses: the app's conditions always apply", () => {
    const tokens = fc.array(fc.constantFrom('issuetype = Incident', 'project = SEC', '(', ')', ' OR ', ' AND ', ' NOT ', 'resolved >= -1000d', '"a) OR (b"', 'ORDER BY key', 'order by created', ' ', ',', '"'), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(tokens, (parts) => {
        const adminJql = parts.join('');
        const checked = validateSettings({ ...DEFAULT_SETTINGS, incidentJql: adminJql });
        let alone;
        try {
          alone = parse(adminJql);
        } catch (e) {
          expect(e).toBeInstanceOf(JqlError);
          return; // Jira refuses it when the settings are saved (jql/parse), so the app never runs it
        }
        if (!checked.ok || alone.orderBy) {
          // Refused by the settings' own rules (ORDER BY is the app's).
          expect(checked.ok && !alone.orderBy).toBe(false);
          return;
        }
        const q = parse(incidentSearchJql(checked.settings.incidentJql, new Date('2026-11-02T09:00:00Z')));
        const top = conjuncts(q.where);
        expect(q.where?.kind).toBe('and');
        expect(top.slice(-2)).toEqual([
          expect.objectContaining({ kind: 'clause', field: expect.objectContaining({ name: 'resolved' }), operator: '<=', operand: expect.objectContaining({ text: '2026-11-02 09:00' }) }),
          expect.objectContaining({ kind: 'clause', field: expect.objectContaining({ name: 'resolved' }), operator: '>=', operand: expect.objectContaining({ text: '-90d' }) }),
        ]);
        expect(q.orderBy?.map((o) => o.field.name)).toEqual(['resolved']);
      }),
      opts,
    );
  });
});

describe(`report search end to end (FUZZ_SEED=${SEED})`, () => {
  const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });
  it('answers any text with rows the viewer may see, or a typed refusal', async () => {
    const s = site();
    await fc.assert(
      fc.asyncProperty(userText.filter((t) => t.length <= 200), fc.constantFrom(EDITOR_ID, VIEWER_ID), async (text, accountId) => {
        const r = (await s.invokeUi('pft-follow-through', { functionKey: 'getReportPage', payload: { text } }, { accountId })) as Result<ReportPage>;
        if (!r.ok) {
          expect(r.error).toMatchObject({ code: 'invalid-input', fieldErrors: { text: expect.any(String) } });
          return;
        }
        if (accountId === VIEWER_ID) expect(r.value.rows.every((row) => row.projectKey !== 'SEC')).toBe(true);
      }),
      { seed: SEED, numRuns: Math.min(RUNS, 60) },
    );
    expect(s.contractViolations).toEqual([]);
  });
});
