/**
 * Every Custom UI app follows the host theme (light or dark), checked on the sources so that a new surface is
 * caught before any browser runs (test/e2e/accessibility.e2e.ts then measures each one in both themes):
 * - its entry (`static/<app>/src/main.tsx`) imports the shared token styles and calls `view.theme.enable()`
 *   (@forge/bridge: without it the host gives the frame no theme, and the light fallbacks stay);
 * - its styles use colours only as Atlassian design tokens with a fallback, `var(--ds-…, #light)`: no colour
 *   literal anywhere else in static/ (CSS, TSX, HTML), and no token without a fallback (before the theme has
 *   loaded, or where theming is off, it would resolve to nothing).
 */
import fs from 'node:fs';
import path from 'node:path';

const STATIC = path.resolve(__dirname, '..', 'static');

/** Each app folder under static/ (every one but the shared code). */
function apps(): string[] {
  return fs
    .readdirSync(STATIC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'shared' && fs.existsSync(path.join(STATIC, d.name, 'index.html')))
    .map((d) => d.name);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'build' || d.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(css|tsx?|html)$/.test(d.name) ? [p] : [];
  });
}

/** What keeps an app entry from following the host theme. */
function entryProblems(source: string): string[] {
  const problems: string[] = [];
  if (!/\bview\.theme\.enable\(\)/.test(source)) problems.push('does not call view.theme.enable()');
  if (!/import ['"][./]*shared\/tokens\.css['"]/.test(source)) problems.push('does not import shared/tokens.css');
  return problems;
}

/** Colour literals outside a token fallback, and tokens without a fallback, in one file's text. */
function colourProblems(text: string, kind: 'css' | 'code'): string[] {
  const problems: string[] = [];
  // Drop each `var(--ds-name, fallback)`: its fallback is where a literal belongs.
  const withoutTokens = text.replace(/var\(--ds-[a-z0-9-]+,[^()]*(?:\([^()]*\)[^()]*)*\)/g, 'TOKEN');
  for (const m of withoutTokens.matchAll(/var\(--ds-[a-z0-9-]+\)/g)) problems.push(`token without a fallback: ${m[0]}`);
  const literals =
    kind === 'css'
      ? /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|(?:^|[\s:,])(?:white|black|red|green|blue|gray|grey|silver|yellow|orange|navy)\s*[;,!}]/gim
      : /['"`]#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})['"`]|\b(?:rgba?|hsla?)\(|\b(?:fill|stroke|color|background)=["'](?:white|black|red|green|blue|gray|grey)["']/gim;
  for (const m of withoutTokens.matchAll(literals)) problems.push(`colour literal outside a token: ${m[0].trim()}`);
  return problems;
}

describe('every Custom UI app follows the host theme', () => {
  const names = apps();

  it('finds the apps', () => {
    expect(names).toEqual(expect.arrayContaining(['postmortem', 'report', 'index', 'settings', 'incident', 'origin']));
  });

  it.each(names)('%s: its entry enables theming and loads the token styles', (name) => {
    const entry = path.join(STATIC, name, 'src', 'main.tsx');
    expect(fs.existsSync(entry) ? entryProblems(fs.readFileSync(entry, 'utf8')) : ['has no src/main.tsx']).toEqual([]);
  });

  it('uses colours only as design tokens with fallbacks (static/, apps and shared)', () => {
    const problems = sourceFiles(STATIC).flatMap((file) =>
      colourProblems(fs.readFileSync(file, 'utf8'), file.endsWith('.css') ? 'css' : 'code').map((p) => `${path.relative(STATIC, file)}: ${p}`),
    );
    expect(problems).toEqual([]);
  });
});

describe('the check itself', () => {
  it('flags an entry that never enables theming', () => {
    expect(entryProblems("import { createRoot } from 'react-dom/client';\ncreateRoot(root).render(<App />);")).toEqual([
      'does not call view.theme.enable()',
      'does not import shared/tokens.css',
    ]);
    expect(entryProblems("import '../../shared/tokens.css';\nvoid view.theme.enable().catch(() => undefined);")).toEqual([]);
  });

  it('flags hard-coded colours and tokens without fallbacks, not fallbacks', () => {
    const css = [
      '.ok { color: var(--ds-text, #172b4d); box-shadow: var(--ds-shadow-raised, 0 1px 1px #091e4240, 0 0 1px #091e424f); }',
      '.hex { background: #fff; }',
      '.rgb { color: rgba(0, 0, 0, 0.5); }',
      '.named { border: 1px solid white; }',
      '.bare { color: var(--ds-text); }',
    ].join('\n');
    expect(colourProblems(css, 'css')).toEqual([
      'token without a fallback: var(--ds-text)',
      'colour literal outside a token: #fff',
      'colour literal outside a token: rgba(',
      'colour literal outside a token: white;',
    ]);
    expect(colourProblems("const fill = '#579dff'; <rect fill=\"white\" /> <div id=\"#root\" style={{ color: 'var(--ds-text, #172b4d)' }} />", 'code')).toEqual([
      "colour literal outside a token: '#579dff'",
      'colour literal outside a token: fill="white"',
    ]);
  });
});
