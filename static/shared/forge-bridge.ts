/**
 * The parts of @forge/bridge the Custom UI uses, imported from their own modules. The package's index (CommonJS,
 * so a bundler cannot drop what is unused) pulls in every API it has — object store, permissions, i18n, egress
 * rules, rovo, realtime — with lodash and tslib; `scripts/build-ui.mjs` points `@forge/bridge` here instead, so
 * each surface ships only the invoke, view and router code it calls. The same production modules run: nothing
 * here is re-implemented. (The package's `exports` map names only its index, so the paths are relative.)
 */
export { invoke, makeInvoke } from '../../node_modules/@forge/bridge/out/invoke';
export { view } from '../../node_modules/@forge/bridge/out/view';
export { router } from '../../node_modules/@forge/bridge/out/router';
