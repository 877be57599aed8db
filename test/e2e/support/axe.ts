/**
 * Accessibility check for browser tests: axe-core run inside every Custom UI frame of a page. The frames are
 * served from another origin (as on Cloud), so axe's own cross-frame messaging is not used: axe is injected into
 * each frame through Playwright's frame API (CDP evaluation, not subject to the frame's CSP) and run on that
 * frame's document alone. The host page is the local site's stand-in for Atlassian's and is not the app's to
 * fix, so only the app's frames are checked.
 */
import axe from 'axe-core';
import type { Frame, Page } from 'playwright-core';

export interface AxeFinding {
  frame: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The frames the app renders (Custom UI resources): every frame not on the host page's origin. */
export function appFrames(page: Page): Frame[] {
  const host = new URL(page.url()).origin;
  return page.frames().filter((f) => f !== page.mainFrame() && /^https?:/.test(f.url()) && new URL(f.url()).origin !== host);
}

/**
 * Serious and critical violations (WCAG 2.1 A/AA and best practice) in every app frame of the page, as short
 * lines to compare with `[]`. `label` names the surface in the message.
 */
export async function seriousViolations(page: Page, label: string): Promise<string[]> {
  const frames = appFrames(page);
  if (frames.length === 0) throw new Error(`${label}: no Custom UI frame to check`);
  const findings: AxeFinding[] = [];
  for (const frame of frames) {
    // Runs in the frame (the tests' tsconfig has no DOM types: the frame's globals are reached through globalThis).
    const injected = await frame.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe !== 'undefined');
    if (!injected) await frame.evaluate(axe.source);
    const results = await frame.evaluate(async () => {
      const w = globalThis as unknown as { axe: typeof axe; document: axe.ElementContext };
      const r = await w.axe.run(w.document, {
        iframes: false,
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
    for (const v of results) {
      if (v.impact === 'serious' || v.impact === 'critical') findings.push({ frame: frame.url(), rule: v.id, impact: v.impact, help: v.help, targets: v.targets });
    }
  }
  return findings.map((f) => `${label} [${new URL(f.frame).pathname}] ${f.impact} ${f.rule}: ${f.help} — ${f.targets.slice(0, 5).join(', ')}`);
}
