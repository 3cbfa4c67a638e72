// Resources that must be flushed or closed on shutdown register here (telemetry, Redis, …).
// Kept on globalThis because Next's bundles and our server load separate copies of this module.
type Hook = { name: string; run: () => Promise<void> };
const HOOKS = Symbol.for('jobboard.shutdownHooks');
type GlobalWithHooks = typeof globalThis & { [HOOKS]?: Hook[] };

export function registerShutdownHook(name: string, run: () => Promise<void>) {
  const store = globalThis as GlobalWithHooks;
  store[HOOKS] ??= [];
  if (!store[HOOKS].some((hook) => hook.name === name)) store[HOOKS].push({ name, run });
}

export function shutdownHooks(): Hook[] {
  return [...((globalThis as GlobalWithHooks)[HOOKS] ?? [])];
}
