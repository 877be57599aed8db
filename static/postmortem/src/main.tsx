import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import '../../shared/tokens.css';
import { initSiteLocale } from '../../shared/dates';
import './postmortem.css';
import { App, loadPostmortem } from './App';

// The postmortem is asked for first, as soon as the bundle runs: the rest of the start overlaps its round trip.
const firstLoad = loadPostmortem();
void view.theme.enable().catch(() => undefined);
void initSiteLocale();
createRoot(document.getElementById('root')!).render(<App firstLoad={firstLoad} />);
