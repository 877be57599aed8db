import '../../shared/csp';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import '../../shared/tokens.css';
import { SettingsPage } from './SettingsPage';

void view.theme.enable().catch(() => undefined);
createRoot(document.getElementById('root')!).render(<SettingsPage />);
