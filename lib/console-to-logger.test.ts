import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { routeConsoleToLogger } from './console-to-logger';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'debug', messageKey: 'msg', formatters: { level: (label) => ({ level: label }) }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('routeConsoleToLogger', () => {
  it("turns Next's plain lines into JSON at the matching level, colours removed", () => {
    const { logger, entries } = capture();
    restore = routeConsoleToLogger(logger);
    console.log('\u001b[32m✓\u001b[39m Running next.config took %dms', 14);
    console.warn('careful');
    console.error('broken:', new Error('boom'));
    restore();
    const [log, warn, error] = entries();
    expect(log).toMatchObject({ level: 'info', event: 'console', msg: '✓ Running next.config took 14ms' });
    expect(typeof log!.time).toBe('string');
    expect(warn).toMatchObject({ level: 'warn', msg: 'careful' });
    expect(error).toMatchObject({ level: 'error' });
    expect(String(error!.msg)).toMatch(/^broken: Error: boom\n\s+at /);
  });

  it('drops empty lines and puts the console back', () => {
    const { logger, entries } = capture();
    const original = console.log;
    restore = routeConsoleToLogger(logger);
    expect(console.log).not.toBe(original);
    console.log('');
    restore();
    expect(console.log).toBe(original);
    expect(entries()).toEqual([]);
  });
});
