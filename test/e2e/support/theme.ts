/**
 * Whether the app's Custom UI frames follow the host theme. In each frame (and on the host page), the page's own
 * surfaces — <html>, <body>, <main>/#root — must be dark with light text in the dark theme and light with dark
 * text in the light theme (colours measured as the browser computed them, with translucent layers composited),
 * and in the dark theme no box larger than a chip may be painted near-white (a hard-coded `#fff` panel).
 * A frame that never called `view.theme.enable()` has no `data-color-mode` on its <html>: its token fallbacks
 * are the light theme, and it fails in the dark theme.
 */
import type { Frame, Page } from 'playwright-core';
import { appFrames } from './axe';

export type ColorMode = 'light' | 'dark';

/** What a document reports about its theme, measured in the browser. */
interface Measured {
  colorMode: string | null;
  surfaces: { name: string; background: number; text: number }[];
  brightBoxes: string[];
}

/** Relative luminance thresholds (WCAG's formula): the Atlassian dark surface is ~0.02, its text ~0.5; light is 1.0 and ~0.03. */
const DARK_MAX = 0.1;
const LIGHT_MIN = 0.35;
const NEAR_WHITE = 0.75;

// Runs in the page (the tests' tsconfig has no DOM types: the globals are reached through this minimal shape).
interface El {
  tagName: string;
  id: string;
  className: unknown;
  parentElement: El | null;
  children: ArrayLike<El>;
  getBoundingClientRect(): { width: number; height: number };
}
interface Win {
  document: { documentElement: El; body: El | null; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };
  getComputedStyle(e: El): { backgroundColor: string; color: string; display: string; visibility: string };
}

function measure(nearWhite: number): Measured {
  const w = globalThis as unknown as Win;
  const d = w.document;
  const parse = (c: string): [number, number, number, number] => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  // The canvas: the root's background, or else the body's (CSS propagates it to the canvas), over white.
  const over = (layers: number[][], base: number[]) =>
    layers.reduceRight((out, [r, g, b, a]) => [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)], base);
  const rootBg = parse(w.getComputedStyle(d.documentElement).backgroundColor);
  const canvas = over([rootBg[3] > 0 || !d.body ? rootBg : parse(w.getComputedStyle(d.body).backgroundColor)], [255, 255, 255]);
  // The colour a box shows: its background over its ancestors' (translucent tokens composited), over the canvas.
  const shown = (el: El): number[] => {
    const layers: number[][] = [];
    for (let e: El | null = el; e; e = e.parentElement) {
      const c = parse(w.getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return over(layers, canvas);
  };
  const name = (e: El) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '');
  const candidates = [d.documentElement, d.body, d.querySelector('main'), d.querySelector('#root')].filter((e): e is El => e !== null);
  const surfaces = [...new Set(candidates)].map((e) => ({ name: name(e), background: lum(shown(e)), text: lum(parse(w.getComputedStyle(e).color)) }));
  const brightBoxes: string[] = [];
  const all = d.querySelectorAll('body *');
  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    const style = w.getComputedStyle(e);
    const own = parse(style.backgroundColor);
    if (own[3] < 0.5 || style.display === 'none' || style.visibility === 'hidden') continue;
    const box = e.getBoundingClientRect();
    if (box.width * box.height < 40 * 40) continue;
    if (lum(shown(e)) > nearWhite) brightBoxes.push(name(e));
  }
  const colorMode = (d.documentElement as unknown as { getAttribute(n: string): string | null }).getAttribute('data-color-mode');
  return { colorMode, surfaces, brightBoxes: brightBoxes.slice(0, 5) };
}

function judge(where: string, mode: ColorMode, m: Measured, requireThemeAttribute: boolean): string[] {
  const problems: string[] = [];
  if (requireThemeAttribute && m.colorMode !== mode) {
    problems.push(`${where}: <html data-color-mode> is ${JSON.stringify(m.colorMode)}, not "${mode}" (did it call view.theme.enable()?)`);
  }
  for (const s of m.surfaces) {
    const bgOk = mode === 'dark' ? s.background <= DARK_MAX : s.background >= 1 - DARK_MAX;
    const textOk = mode === 'dark' ? s.text >= LIGHT_MIN : s.text <= DARK_MAX;
    if (!bgOk) problems.push(`${where}: ${s.name} background is not ${mode} (luminance ${s.background.toFixed(2)})`);
    if (!textOk) problems.push(`${where}: ${s.name} text is not ${mode === 'dark' ? 'light' : 'dark'} (luminance ${s.text.toFixed(2)})`);
  }
  if (mode === 'dark' && m.brightBoxes.length) problems.push(`${where}: near-white boxes in the dark theme (luminance > ${NEAR_WHITE}): ${m.brightBoxes.join(', ')}`);
  return problems;
}

/** Problems with the theme of every app frame of the page and of the host page itself, measured now. */
export async function themeProblems(page: Page, label: string, mode: ColorMode): Promise<string[]> {
  const frames = appFrames(page);
  if (frames.length === 0) throw new Error(`${label}: no Custom UI frame to check`);
  const problems = judge(`${label} [host page]`, mode, await page.mainFrame().evaluate(measure, NEAR_WHITE), true);
  for (const frame of frames) problems.push(...judge(`${label} [${new URL(frame.url()).pathname}]`, mode, await frame.evaluate(measure, NEAR_WHITE), true));
  return problems;
}

/** Waits until each app frame has applied a theme (view.theme.enable() settles asynchronously), then measures. */
export async function themeProblemsOnceApplied(page: Page, label: string, mode: ColorMode): Promise<string[]> {
  await Promise.all(appFrames(page).map((f) => waitForTheme(f)));
  return themeProblems(page, label, mode);
}

/** A frame that never enables theming is reported by the measurement; this only gives enable() its time. */
async function waitForTheme(frame: Frame): Promise<void> {
  await frame
    .waitForFunction(() => (globalThis as unknown as { document: { documentElement: { hasAttribute(n: string): boolean } } }).document.documentElement.hasAttribute('data-color-mode'), undefined, { timeout: 30_000 })
    .catch(() => undefined);
}
