// One value per process, whichever copy of a module asks for it. Our server (dist/server.js) and
// Next's bundles each load their own copies of lib/, so a module-level variable would exist once
// per bundle: the database pool, the breaker, the lifecycle state and the like live here instead
// (docs/decisions/003-own-server.md). Tests call resetProcessSingletons() to start afresh.
const STORE = Symbol.for('jobboard.processSingletons');
type GlobalWithStore = typeof globalThis & { [STORE]?: Map<string, unknown> };

function store(): Map<string, unknown> {
  const global = globalThis as GlobalWithStore;
  global[STORE] ??= new Map();
  return global[STORE];
}

/** The process's `name`, created by `create` on first use. */
export function processSingleton<T>(name: string, create: () => T): T {
  const values = store();
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}

/** The process's `name` if something created it, without creating it. */
export function peekProcessSingleton<T>(name: string): T | undefined {
  return store().get(name) as T | undefined;
}

export function setProcessSingleton<T>(name: string, value: T): void {
  store().set(name, value);
}

/** Removes `name` and returns what it was (e.g. a pool to close). */
export function takeProcessSingleton<T>(name: string): T | undefined {
  const value = store().get(name) as T | undefined;
  store().delete(name);
  return value;
}

/** For tests: forget every value, so the next use creates it afresh. */
export function resetProcessSingletons(): void {
  store().clear();
}
