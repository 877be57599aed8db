import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import '../../shared/tokens.css';
import { initSiteLocale } from '../../shared/dates';
import './gadget.css';
import { Gadget } from './Gadget';

// No zod here (static/shared/csp.ts is for apps that validate with it): the gadget's configuration is
// checked by the resolver, which keeps this bundle small.
void view.theme.enable().catch(() => undefined);
void initSiteLocale();
createRoot(document.getElementById('root')!).render(<Gadget />);
