/**
 * The postmortem index: Index | Insights | Search on the Confluence global page, the Index alone (with its
 * filters) as the macro. Everything shown is what the viewer may see.
 */
import { useEffect, useState } from 'react';
import type { IndexOptions } from '../../../src/contract/postmortem-index';
import { call } from './format';
import { IndexTab } from './IndexTab';
import { InsightsTab } from './InsightsTab';
import { SearchTab } from './SearchTab';

type Tab = 'index' | 'insights' | 'search';
const TABS: { id: Tab; label: string }[] = [
  { id: 'index', label: 'Index' },
  { id: 'insights', label: 'Insights' },
  { id: 'search', label: 'Search' },
];

export function App() {
  const [options, setOptions] = useState<IndexOptions | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('index');

  useEffect(() => {
    void call('getIndexOptions').then((r) => (r.ok ? setOptions(r.value) : setError(r.error.message)));
  }, []);

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (!options) return <p className="hint">Loading…</p>;
  if (options.macro) return <IndexTab options={options} compact />;

  return (
    <main className="pm-index">
      <header>
        <h1>Postmortems</h1>
        <p className="hint">Every postmortem you can see, what came of it, and what keeps failing.</p>
      </header>
      <div role="tablist" aria-label="Views" className="tabs">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls={`panel-${t.id}`} className="tab" onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'index' && <IndexTab options={options} />}
        {tab === 'insights' && <InsightsTab options={options} />}
        {tab === 'search' && <SearchTab options={options} />}
      </section>
    </main>
  );
}
