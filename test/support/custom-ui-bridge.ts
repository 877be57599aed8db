/**
 * The Custom UI bridge for unit tests of static/ modules in Node: @forge/bridge reads
 * `globalThis.__bridge.callBridge` when it loads (out/bridge.js), the seam the product's iframe host fills
 * (and the local site's browser pages). Import this before any module that imports @forge/bridge.
 * It records every call, answers `getContext` with the context a test sets, and refuses anything else.
 */
export interface BridgeCall {
  name: string;
  args: unknown;
}

export const bridgeCalls: BridgeCall[] = [];
let context: Record<string, unknown> = {};

/** What the host answers to `view.getContext()` from now on. */
export function setHostContext(next: Record<string, unknown>): void {
  context = next;
}

const SERVED = new Set(['getContext', 'navigate', 'open']);

(globalThis as { __bridge?: { callBridge: (name: string, args?: unknown) => Promise<unknown> } }).__bridge = {
  callBridge: (name, args) => {
    bridgeCalls.push({ name, args });
    if (!SERVED.has(name)) return Promise.reject(new Error(`The test bridge does not serve '${name}'`));
    return Promise.resolve(name === 'getContext' ? structuredClone(context) : undefined);
  },
};
