// Process-wide lifecycle state shared by our server (dist/server.js) and Next's bundles, which
// load separate copies of this module in one process: hence globalThis.
type LifecycleState = { startupComplete: boolean; warm: boolean; migration: string | null; draining: boolean };

const KEY = Symbol.for('jobboard.lifecycle');
type GlobalWithState = typeof globalThis & { [KEY]?: LifecycleState };

export function lifecycleState(): LifecycleState {
  const store = globalThis as GlobalWithState;
  // `warm` starts true: only our production server (server.ts) warms routes before readiness.
  store[KEY] ??= { startupComplete: false, warm: true, migration: null, draining: false };
  return store[KEY];
}

export function markStartupComplete(details: { migration: string | null }) {
  Object.assign(lifecycleState(), { startupComplete: true, migration: details.migration });
}

export function markCold() {
  lifecycleState().warm = false;
}

export function markWarm() {
  lifecycleState().warm = true;
}

export function markDraining() {
  lifecycleState().draining = true;
}
