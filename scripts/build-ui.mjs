// Builds every Custom UI app in static/ (one folder per module resource) with Vite into static/<app>/build,
// the folder manifest.yml's resources point at. Relative asset URLs: Forge serves each resource from its own path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const apps = fs
  .readdirSync(path.join(root, 'static'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'static', d.name, 'index.html')))
  .map((d) => d.name)
  .filter((name) => !only.length || only.includes(name));

/**
 * What each bundle holds: the rendered (minified, before gzip) size of every module in every chunk, written
 * beside the build — not into it, so that it is never deployed — for `npm run bench`'s bundle report.
 */
function bundleReport(appRoot) {
  return {
    name: 'pft-bundle-report',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle)
        .filter((c) => c.type === 'chunk')
        .map((c) => ({ file: c.fileName, modules: Object.entries(c.modules).map(([id, m]) => ({ id: path.relative(root, id.replace(/^\0/, '')), bytes: m.renderedLength })) }));
      fs.writeFileSync(path.join(appRoot, 'bundle-report.json'), JSON.stringify({ chunks }, null, 1));
    },
  };
}

for (const app of apps) {
  const appRoot = path.join(root, 'static', app);
  await build({
    root: appRoot,
    base: './',
    logLevel: 'warn',
    plugins: [react(), bundleReport(appRoot)],
    // The UI is written against React's API and types; it ships with Preact's compatible runtime, a tenth of
    // react-dom's size (every resource is a separate download into its own iframe, so the runtime is paid per surface).
    resolve: {
      alias: [
        { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
        { find: /^react-dom$/, replacement: 'preact/compat' },
        { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
        { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
        { find: /^react$/, replacement: 'preact/compat' },
        // Only the bridge APIs the UI calls (static/shared/forge-bridge.ts), not the whole package index.
        { find: /^@forge\/bridge$/, replacement: path.join(root, 'static', 'shared', 'forge-bridge.ts') },
      ],
    },
    build: { outDir: path.join(appRoot, 'build'), emptyOutDir: true, sourcemap: false, target: 'es2022' },
  });
  console.log(`built static/${app}/build`);
}
