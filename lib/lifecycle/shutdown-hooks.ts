// Resources that must be flushed or closed on shutdown register here (telemetry, Redis, …).
// One list per process: Next's bundles and our server load separate copies of this module.
import { processSingleton } from '../process-singleton';

type Hook = { name: string; run: () => Promise<void> };
const hooks = () => processSingleton('shutdownHooks', (): Hook[] => []);

export function registerShutdownHook(name: string, run: () => Promise<void>) {
  if (!hooks().some((hook) => hook.name === name)) hooks().push({ name, run });
}

export function shutdownHooks(): Hook[] {
  return [...hooks()];
}
