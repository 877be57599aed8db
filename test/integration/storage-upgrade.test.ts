/**
 * Issue 17 (3): data written by the release before schema versions (test/fixtures/storage-v1, captured by
 * running that release's code through the local site) is upgraded and reads back with the same meaning.
 * The index entries are also taken back to the first release's shape (commit 1e50b01 `upsertIndexEntry`:
 * tags comma-joined, no incident dates, no search text), which the upgrade must fill from the documents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useLocalSite } from './support/site';
import { withFastRetries } from './support/retry';
import { upgradeTuning } from '../../src/jobs/storage-upgrade';
import { getIndexEntry, queryIndexBatch } from '../../src/store/postmortem-index';
import { historyFor, reminderSent } from '../../src/store/follow-ups';
import { appIssues } from '../../src/store/app-issues';
import { loadProgress } from '../../src/store/storage-upgrade';
import type { SiteState } from '../../local-site/state/types';
import { EDITOR_ID } from '../../local-site/state/users';

const FIXTURE = path.join(__dirname, '../fixtures/storage-v1/site-state.json');
const DATE_FIELDS = ['incidentAt', 'startedAt', 'detectedAt', 'resolvedAt', 'ttdMinutes', 'ttrMinutes'] as const;

type Entry = Record<string, unknown>;
const fixture = (): SiteState => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as SiteState;
const originals = fixture().platform.kvs.entities.postmortem;

/** The first release's index entry: what 1e50b01 wrote for the same postmortem. */
function firstReleaseShape(e: Entry): Entry {
  const { incidentAt: _a, startedAt: _b, detectedAt: _c, resolvedAt: _d, ttdMinutes: _e, ttrMinutes: _f, ownerName: _g, tagKeys: _h, publishedAt: _i, ...rest } = e;
  return { ...rest, tags: (JSON.parse(String(e.tags)) as string[]).join(',') };
}

const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pft-upgrade-')), 'state.json');
function writeState(mutate: (s: SiteState) => void): void {
  const s = fixture();
  mutate(s);
  fs.writeFileSync(stateFile, JSON.stringify(s));
}

afterEach(() => (upgradeTuning.entriesPerEvent = 25));

describe('storage written before schema versions', () => {
  beforeEach(() =>
    writeState((s) => {
      const idx = s.platform.kvs.entities.postmortem;
      for (const k of Object.keys(idx)) idx[k] = { ...idx[k], value: firstReleaseShape(idx[k].value as Entry) };
      s.platform.kvs.entities['postmortem-text'] = {};
    }),
  );
  const site = useLocalSite({ stateFile });
  const inApp = <T>(work: () => Promise<T>) => site().asInvocation(undefined, work);
  const kvs = () => site().state.platform.kvs;
  const snapshot = () => JSON.stringify({ values: Object.fromEntries(Object.entries(kvs().values).filter(([k]) => !k.startsWith('storage-upgrade:')).map(([k, v]) => [k, v.value])), entities: Object.fromEntries(Object.entries(kvs().entities).map(([n, e]) => [n, Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.value]))])) });

  it('reads every older record as today\'s before any upgrade ran, and finds the old entries only after the upgrade', async () => {
    const raw = kvs().values;
    for (const [key, v] of Object.entries(raw)) {
      if (key.startsWith('followups:')) expect(await inApp(() => historyFor(key.slice('followups:'.length)))).toEqual(v.value);
      if (key.startsWith('incident-reminder:')) expect(await inApp(() => reminderSent(key.slice('incident-reminder:'.length)))).toBe(v.value);
      if (key.startsWith('app-issue:')) {
        const rec = v.value as { issueId: string };
        expect((await inApp(() => appIssues([rec.issueId]))).get(rec.issueId)).toEqual(rec);
      }
    }
    // Without incident dates, the by-date index cannot see them.
    expect((await inApp(() => queryIndexBatch({}, undefined))).results).toHaveLength(0);
    const [key, stored] = Object.entries(originals)[0];
    const [pageId, localId] = key.split(':');
    const lazily = await inApp(() => getIndexEntry(pageId, localId));
    expect(lazily).toMatchObject({ tags: (stored.value as Entry).tags, tagKeys: (stored.value as Entry).tagKeys, ownerName: '' });
  });

  it('the app-upgraded event fills the incident dates from the documents, and a rerun changes nothing', async () => {
    await site().deployMajorVersion();
    await site().drainQueue();
    const progress = await inApp(loadProgress);
    expect(progress).toMatchObject({ done: true, counts: { seen: 6, datesFilled: 6, skipped: 0 } });
    for (const [key, v] of Object.entries(originals)) {
      const now = kvs().entities.postmortem[key].value as Entry;
      expect(now.schemaVersion).toBe(2);
      for (const f of DATE_FIELDS) expect([key, f, now[f]]).toEqual([key, f, (v.value as Entry)[f]]);
      expect(now.updatedAt).toBe((v.value as Entry).updatedAt);
      const { schemaVersion: _v, ...text } = kvs().entities['postmortem-text'][key].value as Entry;
      expect(text).toEqual(fixture().platform.kvs.entities['postmortem-text'][key].value);
    }
    expect((await inApp(() => queryIndexBatch({}, undefined))).results).toHaveLength(6);

    const after = snapshot();
    await site().deployMajorVersion(); // done: nothing to do
    await site().drainQueue();
    delete kvs().values['storage-upgrade:progress']; // even a full walk again
    await site().deployMajorVersion();
    await site().drainQueue();
    expect(snapshot()).toEqual(after);
    expect(await inApp(loadProgress)).toMatchObject({ done: true, counts: { upgraded: 0, datesFilled: 0, textWritten: 0 } });
  });

  // A 500 on every write of one page: retried five times per request, quickly (support/retry.ts).
  it('a backfill that crashes part-way resumes from its cursor on the next daily check', withFastRetries(async () => {
    upgradeTuning.entriesPerEvent = 2;
    const order = Object.values(originals).map((v) => v.value as Entry).sort((a, b) => String(a.updatedAt).localeCompare(String(b.updatedAt)));
    const failing = String(order[2].pageId);
    site().faults.add({ product: 'confluence', path: new RegExp(`/pages/${failing}/properties`), kind: 'server-error', status: 500 });
    await site().deployMajorVersion();
    await site().drainQueue();
    const stalled = await inApp(loadProgress);
    expect(stalled).toMatchObject({ done: false, step: 1, counts: { seen: 2 } });
    site().faults.clear();
    await site().advanceClock(26 * 3_600_000); // the daily check finds it stalled and resumes it
    await site().drainQueue();
    expect(await inApp(loadProgress)).toMatchObject({ done: true, counts: { seen: 6, datesFilled: 6 } });
    for (const [key, v] of Object.entries(originals)) {
      for (const f of DATE_FIELDS) expect([key, f, (kvs().entities.postmortem[key].value as Entry)[f]]).toEqual([key, f, (v.value as Entry)[f]]);
    }
  }));
});

describe('stored data from a newer release', () => {
  beforeEach(() => writeState((s) => {
    const first = Object.keys(s.platform.kvs.entities.postmortem)[0];
    (s.platform.kvs.entities.postmortem[first].value as Entry).schemaVersion = 99;
  }));
  const site = useLocalSite({ stateFile });
  it('a postmortem document of a newer format is refused by the macro, and not rewritten by a save', async () => {
    const page = site().state.confluence.pages.find((pg) => pg.properties.some((pr) => pr.key.startsWith('pft-postmortem-')))!;
    const prop = page.properties.find((pr) => pr.key.startsWith('pft-postmortem-'))!;
    (prop.value as Entry).schema = 2;
    const before = JSON.stringify(prop);
    const localId = prop.key.slice('pft-postmortem-'.length);
    const call = (functionKey: string, payload?: unknown) => site().invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId, extension: { content: { id: page.id, type: 'page' } } });
    expect(await call('loadPostmortem')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/newer version of the app \(format 2; this version reads up to 1\)/) } });
    const mine = { ...(prop.value as Entry), schema: 1, summary: 'typed by someone on the old release' };
    expect(await call('savePostmortem', { postmortem: mine, base: mine, baseVersion: 1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(page.properties.find((pr) => pr.key === prop.key))).toBe(before);
  });

  it('is refused plainly and left unchanged', async () => {
    const [key] = Object.keys(originals);
    const [pageId, localId] = key.split(':');
    await expect(site().asInvocation(undefined, () => getIndexEntry(pageId, localId))).rejects.toThrow(/newer version of the app \(format 99/);
    expect((site().state.platform.kvs.entities.postmortem[key].value as Entry).schemaVersion).toBe(99);
  });
});

describe('a restart with a new major version (permissions changed since the state was saved)', () => {
  beforeEach(() =>
    writeState((s) => {
      s.platform.appVersion = { major: 1, minor: 4, permissionsHash: 'an older permission set', codeHash: 'older code' };
      const idx = s.platform.kvs.entities.postmortem;
      for (const k of Object.keys(idx)) idx[k] = { ...idx[k], value: firstReleaseShape(idx[k].value as Entry) };
    }),
  );
  const site = useLocalSite({ stateFile });
  it('sends avi:forge:upgraded:app once, which runs the upgrade', async () => {
    expect(site().state.platform.appVersion).toMatchObject({ major: 2, minor: 0 });
    await site().runDue();
    await site().drainQueue();
    expect(site().invocations.filter((i) => i.moduleKey === 'pft-app-upgraded')).toHaveLength(1);
    expect(await site().asInvocation(undefined, loadProgress)).toMatchObject({ done: true, counts: { datesFilled: 6 } });
    await site().runDue();
    expect(site().invocations.filter((i) => i.moduleKey === 'pft-app-upgraded')).toHaveLength(1);
  });
});
