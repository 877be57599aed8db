import { view } from '@forge/bridge';
import '../../shared/tokens.css';
import { initSiteLocale } from '../../shared/dates';
import './postmortem.css';
import { loadPostmortem } from './first-load';

// The entry is kept small (the bridge and the invoke): the postmortem is asked for as soon as it runs, and the
// editor's code (the UI runtime, the sections) is fetched and compiled as a separate chunk while the invoke is on
// its way, instead of before it. The styles stay here, so the page is styled from the first paint.
const firstLoad = loadPostmortem();
void view.theme.enable().catch(() => undefined);
void initSiteLocale();
void import('./boot').then(({ start }) => start(document.getElementById('root')!, firstLoad));
