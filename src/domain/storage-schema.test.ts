import {
  APP_ISSUE,
  FOLLOW_UP_HISTORY,
  INCIDENT_REMINDER,
  isCurrent,
  NewerSchemaError,
  POSTMORTEM_INDEX,
  SETTINGS,
  stamp,
  tagsOfStoredEntry,
  UnreadableRecordError,
  upgradeDocument,
  upgradeRecord,
  withIncidentDates,
  type SchemaChain,
} from './storage-schema';

describe('upgradeRecord', () => {
  const chain: SchemaChain = { kind: 'thing', current: 3, steps: { 1: (r: { a: number }) => ({ b: r.a }), 2: (r: { b: number }) => ({ c: r.b * 2 }) } };

  it('runs every step from the stored version, in order, without the version field', () => {
    expect(upgradeRecord(chain, { a: 2 })).toEqual({ c: 4 });
    expect(upgradeRecord(chain, { schemaVersion: 2, b: 5 })).toEqual({ c: 10 });
    expect(upgradeRecord(chain, { schemaVersion: 3, c: 1 })).toEqual({ c: 1 });
  });

  it('never changes its input', () => {
    const raw = Object.freeze({ a: 1 });
    upgradeRecord(chain, raw);
    expect(raw).toEqual({ a: 1 });
  });

  it('refuses a newer format by name, and versions that are not versions', () => {
    expect(() => upgradeRecord(chain, { schemaVersion: 4, c: 1 })).toThrow(NewerSchemaError);
    expect(() => upgradeRecord(chain, { schemaVersion: 4 })).toThrow(/newer version of the app \(format 4; this version reads up to 3\)/);
    for (const v of [0, -1, 1.5, '2', null]) expect(() => upgradeRecord(chain, { schemaVersion: v })).toThrow(UnreadableRecordError);
    expect(() => upgradeRecord(chain, null)).toThrow(UnreadableRecordError);
  });

  it('stamp writes the current version, which isCurrent recognises; an upgraded record stamps back to the same', () => {
    const written = stamp(APP_ISSUE, { issueId: '1' });
    expect(written).toEqual({ issueId: '1', schemaVersion: 2 });
    expect(isCurrent(APP_ISSUE, written)).toBe(true);
    expect(isCurrent(APP_ISSUE, { issueId: '1' })).toBe(false);
    expect(stamp(APP_ISSUE, upgradeRecord<object>(APP_ISSUE, written))).toEqual(written);
  });
});

describe('the upgrade steps', () => {
  it('records that only gained a version keep every field', () => {
    const rec = { issueId: '10001', issueKey: 'OPS-1', itemRef: 'p/m/i', pageId: '1', localId: 'l', postmortemTitle: 'T', incidentKey: null, siteUrl: 'https://x', createdAt: '2026-01-01T00:00:00Z' };
    expect(upgradeRecord(APP_ISSUE, rec)).toEqual(rec);
    expect(upgradeRecord(SETTINGS, { staleDays: 5 })).toEqual({ staleDays: 5 });
  });

  it('follow-up history 1 → 2: count is the number of records, missing times are null', () => {
    expect(upgradeRecord(FOLLOW_UP_HISTORY, { count: 7, lastAt: '2026-01-02T00:00:00Z', records: [{ at: 'a' }, { at: 'b' }] })).toEqual({ count: 2, lastAt: '2026-01-02T00:00:00Z', flaggedAt: null, records: [{ at: 'a' }, { at: 'b' }] });
    expect(upgradeRecord(FOLLOW_UP_HISTORY, {})).toEqual({ count: 0, lastAt: null, flaggedAt: null, records: [] });
  });

  it('incident reminder 1 → 2: the bare instant becomes { at }', () => {
    expect(upgradeRecord(INCIDENT_REMINDER, '2026-11-03T09:00:00.000Z')).toEqual({ at: '2026-11-03T09:00:00.000Z' });
    expect(upgradeRecord(INCIDENT_REMINDER, { schemaVersion: 2, at: 'x' })).toEqual({ at: 'x' });
    expect(() => upgradeRecord(INCIDENT_REMINDER, 42)).toThrow(UnreadableRecordError);
  });

  it('index entry 1 → 2: comma-joined tags become a JSON list with their search keys; owner name defaults', () => {
    expect(upgradeRecord(POSTMORTEM_INDEX, { pageId: '1', tags: 'checkout-api,Data Base' })).toEqual({ pageId: '1', tags: '["checkout-api","Data Base"]', tagKeys: ',checkout-api,data base,', ownerName: '' });
    // A later format-1 entry (JSON tags, keys, owner) keeps them exactly.
    const later = { pageId: '1', tags: '["a,b"]', tagKeys: ',a%2Cb,', ownerName: 'Eden' };
    expect(upgradeRecord(POSTMORTEM_INDEX, later)).toEqual(later);
    expect(upgradeRecord(POSTMORTEM_INDEX, { tags: '' })).toMatchObject({ tags: '[]', tagKeys: ',,' });
  });

  it('tagsOfStoredEntry reads both tag formats', () => {
    expect(tagsOfStoredEntry('["a,b","c"]')).toEqual(['a,b', 'c']);
    expect(tagsOfStoredEntry('[broken,x')).toEqual(['[broken', 'x']);
    expect(tagsOfStoredEntry(undefined)).toEqual([]);
  });

  it('withIncidentDates fills the dates as a save computes them and keeps every other field', () => {
    const entry = { pageId: '1', createdAt: '2026-01-05T00:00:00Z', updatedAt: '2026-01-06T00:00:00Z', ttdMinutes: 99 };
    expect(withIncidentDates(entry, { startedAt: '2026-01-01T10:00:00Z', detectedAt: '2026-01-01T10:20:00Z', resolvedAt: '2026-01-01T12:00:00Z', timeToDetectMs: 20 * 60_000, timeToResolveMs: 120 * 60_000 })).toEqual({
      pageId: '1', createdAt: '2026-01-05T00:00:00Z', updatedAt: '2026-01-06T00:00:00Z',
      incidentAt: '2026-01-01T10:00:00Z', startedAt: '2026-01-01T10:00:00Z', detectedAt: '2026-01-01T10:20:00Z', resolvedAt: '2026-01-01T12:00:00Z', ttdMinutes: 20, ttrMinutes: 120,
    });
    // No timeline: the incident is when the postmortem was first indexed, and no durations.
    expect(withIncidentDates(entry, { startedAt: null, detectedAt: null, resolvedAt: null, timeToDetectMs: null, timeToResolveMs: null })).toEqual({
      pageId: '1', createdAt: '2026-01-05T00:00:00Z', updatedAt: '2026-01-06T00:00:00Z', incidentAt: '2026-01-05T00:00:00Z', startedAt: '', detectedAt: '', resolvedAt: '',
    });
    expect(withIncidentDates(entry, { startedAt: null, detectedAt: '2026-01-01T10:20:00Z', resolvedAt: null, timeToDetectMs: null, timeToResolveMs: null }).incidentAt).toBe('2026-01-01T10:20:00Z');
  });

  it('the postmortem document keeps its schema field; a newer document is refused', () => {
    expect(upgradeDocument({ schema: 1, title: 'T' })).toEqual({ schema: 1, title: 'T' });
    expect(upgradeDocument({ title: 'T' })).toEqual({ schema: 1, title: 'T' });
    expect(() => upgradeDocument({ schema: 2, title: 'T' })).toThrow(/postmortem document was stored by a newer version/);
  });
});
