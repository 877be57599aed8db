/**
 * The host theme, applied the way Atlassian's products apply it with @atlaskit/tokens (the package Jira and
 * Confluence theme themselves with): the `data-theme` / `data-color-mode` attributes on <html>, as
 * `getThemeHtmlAttrs` builds them, and each theme's token CSS, the artifacts `setGlobalTheme` / `getThemeStyles`
 * load (`dist/cjs/artifacts/themes/atlassian-*.js`). Those rules only match
 * `html[data-color-mode="dark"][data-theme~="dark:dark"]` (and so on), so a document without the attributes keeps
 * its `var(--ds-…, fallback)` fallbacks.
 *
 * The same theme reaches a Custom UI frame only when the app calls `view.theme.enable()` (@forge/bridge
 * out/view/theme.js: `callBridge('enableTheming')`): the host answers with the theme state and the bridge inside
 * the frame links the token CSS and sets the attributes on the frame's <html> (public/bridge-client.js).
 */
import { createRequire } from 'node:module';
import { themeConfig } from '@atlaskit/tokens/theme-config';
import { themeObjectToString } from '@atlaskit/tokens/theme-object-to-string';

/** The colour modes a user can choose on the local site (Atlassian also offers "match browser"; not here). */
export const COLOR_MODES = ['light', 'dark'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export function isColorMode(value: unknown): value is ColorMode {
  return (COLOR_MODES as readonly unknown[]).includes(value);
}

/**
 * The theme state the host hands a frame (@forge/bridge types.d.ts: `theme?: Partial<ThemeState>`): the colour
 * mode and the theme ids of @atlaskit/tokens' defaults (themeStateDefaults), as the products use them.
 */
export interface HostThemeState {
  colorMode: ColorMode;
  light: 'light';
  dark: 'dark';
  shape: 'shape';
  spacing: 'spacing';
  typography: 'typography';
  motion: 'motion';
}

export function themeState(colorMode: ColorMode): HostThemeState {
  return { colorMode, light: 'light', dark: 'dark', shape: 'shape', spacing: 'spacing', typography: 'typography', motion: 'motion' };
}

/** The attributes Atlassian's getThemeHtmlAttrs puts on <html> for this state. */
export function themeHtmlAttrs(state: HostThemeState): Record<'data-theme' | 'data-color-mode', string> {
  const { light, dark, shape, spacing, typography, motion } = state;
  return { 'data-theme': themeObjectToString({ dark, light, motion, shape, spacing, typography }), 'data-color-mode': state.colorMode };
}

/** The theme ids whose CSS a page in this state loads: the colour theme of its mode, and the non-colour themes. */
export function themeIdsToLoad(state: HostThemeState): string[] {
  return [state.colorMode === 'dark' ? state.dark : state.light, state.shape, state.spacing, state.typography, state.motion];
}

const requireTokens = createRequire(require.resolve('@atlaskit/tokens/package.json'));
const cssCache = new Map<string, string>();

/** The token CSS of one theme id (`dark`, `spacing`…), from @atlaskit/tokens' own artifacts; undefined if unknown. */
export function themeCss(themeId: string): string | undefined {
  if (cssCache.has(themeId)) return cssCache.get(themeId);
  const file = Object.entries(themeConfig).find(([, config]) => config.id === themeId)?.[0];
  // Only the themes a host state can name (no UNSAFE/test themes), and only names that are plain file names.
  if (!file || !/^atlassian-[a-z-]+$/.test(file)) return undefined;
  const css = (requireTokens(`./dist/cjs/artifacts/themes/${file}.js`) as { default: string }).default;
  cssCache.set(themeId, css);
  return css;
}
