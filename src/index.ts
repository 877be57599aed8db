// The functions manifest.yml names, and nothing else: each lives in its own folder.
export { settingsResolver } from './resolvers/settings';
