import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import '../../shared/tokens.css';
import { initSiteLocale } from '../../shared/dates';
import './index.css';
import { App } from './App';

void view.theme.enable().catch(() => undefined);
void initSiteLocale();
createRoot(document.getElementById('root')!).render(<App />);
