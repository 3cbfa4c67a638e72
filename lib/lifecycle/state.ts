// Process-wide lifecycle state shared by our server (dist/server.js) and Next's bundles, which
// load separate copies of this module in one process: hence a process singleton.
import { processSingleton } from '../process-singleton';

type LifecycleState = { startupComplete: boolean; warm: boolean; migration: string | null; draining: boolean };

export function lifecycleState(): LifecycleState {
  // `warm` starts true: only our production server (server.ts) warms routes before readiness.
  return processSingleton('lifecycle', (): LifecycleState => ({ startupComplete: false, warm: true, migration: null, draining: false }));
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
