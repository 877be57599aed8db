import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { LoadResult } from './first-load';

/** Renders the macro into `root`, with the load main.tsx already started. */
export function start(root: HTMLElement, firstLoad: Promise<LoadResult>): void {
  createRoot(root).render(<App firstLoad={firstLoad} />);
}
