// What the libraries inside our server print with console.* (Next's "✓ Running next.config took
// 14ms", better-auth's error reports) becomes a JSON line of the one logger, like everything else
// the process writes (docs/observability.md: every line JSON). The text keeps its meaning: util's
// formatting, terminal colours removed, an Error with its stack.
import { format } from 'node:util';
import type { Logger } from 'pino';

const COLOURS = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');
const LEVELS = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const;

/** Replaces console.log/info/debug/warn/error for the rest of the process; returns a function that puts them back. */
export function routeConsoleToLogger(logger: Logger): () => void {
  const originals = Object.fromEntries(Object.keys(LEVELS).map((method) => [method, console[method as keyof typeof LEVELS]]));
  for (const [method, level] of Object.entries(LEVELS)) {
    console[method as keyof typeof LEVELS] = (...args: unknown[]) => {
      const msg = format(...args).replace(COLOURS, '').trim();
      if (msg) logger[level]({ event: 'console' }, msg);
    };
  }
  return () => Object.assign(console, originals);
}
