/**
 * Forge serves Custom UI under a Content-Security-Policy without 'unsafe-eval' (@forge/csp): zod's check for
 * whether it may compile validators with `new Function` would be refused (and reported). Validate without it.
 * Imported first by every app's main.tsx.
 */
import { z } from 'zod';

z.config({ jitless: true });
