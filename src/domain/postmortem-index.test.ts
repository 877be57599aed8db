import { decodeToken, encodeToken, itemIssuesOfPagesJql, searchMatches, searchWordsOf, INDEX_BATCH } from './postmortem-index';

describe('index page tokens', () => {
  it('round-trips a position and reads no token as the first page', () => {
    expect(decodeToken(encodeToken({ k: 'cursor-1', s: 7 }))).toEqual({ k: 'cursor-1', s: 7 });
    expect(decodeToken(undefined)).toEqual({ k: '', s: 0 });
  });

  it('refuses a token the app did not write', () => {
    expect(decodeToken('not-base64-json')).toBeNull();
    expect(decodeToken(encodeToken({ k: 'c', s: INDEX_BATCH }))).toBeNull();
    expect(decodeToken(encodeToken({ k: 'c', s: -1 }))).toBeNull();
    expect(decodeToken(Buffer.from(JSON.stringify({ k: 1, s: 0 })).toString('base64url'))).toBeNull();
  });
});

describe('index search', () => {
  it('takes the distinct words, normalised, at most ten', () => {
    expect(searchWordsOf('Runbook  runbook, on-call')).toEqual(['runbook', 'on-call']);
    expect(searchWordsOf('a b c d e f g h i j k l')).toHaveLength(10);
    expect(searchWordsOf('!!! ???')).toEqual([]);
  });

  it('matches the what-failed notes and action items that hold a word', () => {
    const text = {
      pageId: '1',
      localId: 'm',
      title: 'T',
      incidentAt: '2026-11-01T00:00:00Z',
      searchText: '',
      failed: [{ category: 'detection' as const, notes: 'No Monitoring on the queue' }, { category: 'escalation' as const, notes: 'paged late' }],
      items: [{ id: 'a', title: 'Add monitoring', state: 'accepted' as const, fromFailure: null, issueKey: 'OPS-1' }],
    };
    expect(searchMatches(text, ['monitoring'])).toEqual([
      { kind: 'what-failed', category: 'detection', text: 'No Monitoring on the queue' },
      { kind: 'action-item', title: 'Add monitoring', state: 'accepted', fromFailure: null, issueKey: 'OPS-1' },
    ]);
  });

  it('asks Jira for the pages by the quoted pmPageId property', () => {
    expect(itemIssuesOfPagesJql(['1', '22'])).toBe('pmPageId in ("1", "22")');
  });
});
