/** Search across postmortems: "What failed" answers and action items together, so a recurring gap shows. */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { IndexOptions, SearchHit, SearchMatch } from '../../../src/contract/postmortem-index';
import { CATEGORY_LABELS, call, formatDate, navigate, safeUrl, plural } from './format';

function highlight(text: string, words: string[]): ReactNode[] {
  if (!words.length) return [text];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'giu'));
  return parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : p));
}

function Match({ m, words }: { m: SearchMatch; words: string[] }) {
  if (m.kind === 'what-failed') {
    return (
      <li className="match">
        <span className={`lozenge cat-${m.category}`}>What failed · {CATEGORY_LABELS[m.category]}</span>
        <span className="match-text">{highlight(m.text, words)}</span>
      </li>
    );
  }
  return (
    <li className="match">
      <span className={`lozenge item-${m.state}`}>Action item · {m.state}</span>
      <span className="match-text">{highlight(m.title, words)}</span>
      {m.issueKey && <span className="muted"> {m.issueKey}</span>}
    </li>
  );
}

export function SearchTab({ options }: { options: IndexOptions }) {
  const [typed, setTyped] = useState('');
  const [hits, setHits] = useState<SearchHit[] | undefined>();
  const [words, setWords] = useState<string[]>([]);
  const [searched, setSearched] = useState('');
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setLoading(true);
    setError(undefined);
    const text = typed.trim();
    const r = await call('searchPostmortems', { text });
    setLoading(false);
    if (r.ok) {
      setHits(r.value.hits);
      setWords(r.value.words);
      setNext(r.value.nextPageToken);
      setSearched(text);
    } else {
      setHits(undefined);
      setError([r.error.message, ...Object.values(r.error.fieldErrors ?? {})].join(' '));
    }
  };

  const more = async () => {
    if (!next) return;
    setLoading(true);
    const r = await call('searchPostmortems', { text: searched, pageToken: next });
    setLoading(false);
    if (r.ok) {
      setHits((prev) => [...(prev ?? []), ...r.value.hits.filter((h) => !(prev ?? []).some((p) => p.key === h.key))]);
      setNext(r.value.nextPageToken);
    } else setError(r.error.message);
  };

  const counts = new Map<string, number>();
  for (const h of hits ?? []) {
    for (const m of h.matches) {
      const label = m.kind === 'what-failed' ? CATEGORY_LABELS[m.category] : 'Action items';
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }

  return (
    <div className="search-tab">
      <form className="filters" role="search" aria-label="Search postmortems" onSubmit={(e) => void run(e)}>
        <div className="grow">
          <label htmlFor="s-text">Find in “What failed” and action items</label>
          <div className="inline">
            <input id="s-text" type="text" maxLength={200} value={typed} placeholder="e.g. monitoring, runbook, failover" onChange={(e) => setTyped(e.target.value)} />
            <button type="submit" className="primary" disabled={loading}>Search</button>
          </div>
        </div>
      </form>
      {error && <div className="banner error" role="alert">{error}</div>}
      {hits && (
        <p className="hint" role="status">
          “{searched}” in {plural(hits.length, 'postmortem')}{next ? ' so far' : ''}
          {counts.size > 0 && ` · ${[...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, n]) => `${label} ×${n}`).join(', ')}`}
        </p>
      )}
      {hits && hits.length === 0 && <p className="empty">Nothing you can see mentions that.</p>}
      {hits && hits.length > 0 && (
        <ul className="hits">
          {hits.map((h) => (
            <li key={h.key} className="hit" data-key={h.key}>
              <div className="hit-head">
                <a href={safeUrl(h.url)} onClick={(e) => navigate(e, h.url)}>{h.title}</a>
                <span className="muted"> · {formatDate(h.incidentAt, options.timeZone)}{h.pageTitle !== h.title ? ` · on “${h.pageTitle}”` : ''}</span>
              </div>
              <ul className="matches">
                {h.matches.map((m, i) => <Match key={i} m={m} words={words} />)}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {next && <p><button type="button" onClick={() => void more()} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button></p>}
    </div>
  );
}
