import { useEffect, useMemo, useRef, useState } from 'react';
import { view } from '@forge/bridge';
import type { LoadedPostmortem } from '../../../src/contract/postmortem-macro';
import { call, loadPostmortem, type LoadResult } from './first-load';
import { ConflictPanel } from './ConflictPanel';
import { DocProvider, knownNamesOf, type DocContext } from './doc';
import { IssuesProvider } from './issues';
import { ActionItems } from './sections/ActionItems';
import { Header } from './sections/Header';
import { People } from './sections/People';
import { RootCause } from './sections/RootCause';
import { Summary } from './sections/Summary';
import { Timeline } from './sections/Timeline';
import { WhatFailed } from './sections/WhatFailed';
import { useAutosave, type SaveFn } from './useAutosave';

const save: SaveFn = (input) => call('savePostmortem', input);

/**
 * `firstLoad`: the load main.tsx started as the entry ran, before the editor's code loaded (the invoke's round trip
 * then overlaps the framework's start and the first paint, where an effect would only send it after them).
 */
export function App(props: { firstLoad?: Promise<LoadResult> }) {
  const [loaded, setLoaded] = useState<LoadedPostmortem | undefined>();
  const [localId, setLocalId] = useState('');
  const [loadError, setLoadError] = useState<string | undefined>();
  const firstLoad = useRef(props.firstLoad);

  const load = () => {
    setLoadError(undefined);
    const pending = firstLoad.current ?? loadPostmortem();
    firstLoad.current = undefined; // "Try again" asks anew
    void pending.then((r) => (r.ok ? setLoaded(r.value) : setLoadError(r.error.message)));
  };
  useEffect(() => {
    load();
    void view
      .getContext()
      .then((c) => setLocalId(String((c as { localId?: string }).localId ?? '')))
      .catch(() => undefined);
  }, []);

  if (loadError)
    return (
      <div className="banner error" role="alert">
        <strong>The postmortem could not be loaded.</strong> {loadError}{' '}
        <button type="button" className="subtle" onClick={load}>
          Try again
        </button>
      </div>
    );
  if (!loaded)
    return (
      <p className="loading" role="status">
        Loading postmortem…
      </p>
    );
  return <Editor loaded={loaded} localId={localId} />;
}

function Editor(props: { loaded: LoadedPostmortem; localId: string }) {
  const { loaded } = props;
  const readOnly = !loaded.canEdit;
  const autosave = useAutosave(loaded, save, { enabled: !readOnly });
  const { doc, state } = autosave;
  const conflict = state.kind === 'conflict' ? state.conflict : undefined;
  const knownNames = useMemo(() => knownNamesOf(doc), [doc]);
  const ctx: DocContext = { pm: doc, edit: autosave.edit, locked: readOnly || Boolean(conflict), settings: loaded.settings, fieldErrors: autosave.fieldErrors, knownNames, saved: state.kind === 'saved' };

  // After issues are created the app has written their links to the stored document: take them in.
  const adoptIssueLinks = (links: { itemId: string; key: string; id: string }[]) =>
    autosave.adoptIssues({ actionItems: doc.actionItems.flatMap((i) => links.filter((l) => l.itemId === i.id).map((l) => ({ ...i, issue: { key: l.key, id: l.id } }))) });
  const adoptRecordedIssues = async () => {
    const r = await call('loadPostmortem');
    if (r.ok) autosave.adoptIssues(r.value.postmortem);
  };

  return (
    <DocProvider value={ctx}>
      <IssuesProvider items={doc.actionItems} onIssuesRecorded={adoptRecordedIssues} onIssueLinks={adoptIssueLinks} initialLive={loaded.live}>
        <article className={`postmortem ${readOnly ? 'read-only' : ''}`} aria-label="Postmortem">
          {readOnly && <div className="banner info">You can view this postmortem. Only people who can edit the page can change it.</div>}
          <Header save={state} onRetry={autosave.retry} readOnly={readOnly} />
          {conflict && <ConflictPanel key={conflict.theirsVersion} conflict={conflict} timeZone={loaded.settings.timeZone} onSave={autosave.resolveConflict} />}
          {state.kind === 'error' && Object.keys(autosave.fieldErrors).length > 0 && (
            <div className="banner error" role="alert">
              {state.message} Fix the highlighted fields; your text is kept.
              {autosave.fieldErrors.postmortem && <div>{autosave.fieldErrors.postmortem}</div>}
            </div>
          )}
          <Summary />
          <Timeline />
          <RootCause />
          <WhatFailed />
          <ActionItems />
          <People page={loaded.page} localId={props.localId} />
        </article>
      </IssuesProvider>
    </DocProvider>
  );
}
