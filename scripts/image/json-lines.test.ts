import { describe, expect, it } from 'vitest';
import { jsonLines } from './json-lines.mjs';

describe('jsonLines', () => {
  it('accepts JSON objects with level, time and msg, ignoring blank lines', () => {
    const text = ['{"level":"info","time":"2026-11-24T12:00:00Z","msg":"listening","event":"server_started"}', '', '{"level":"warn","time":"2026-11-24T12:00:01Z","msg":""}'].join('\n');
    expect(jsonLines(text)).toEqual({ lines: 2, bad: [] });
  });

  it('names the lines that are not: plain text, JSON without the fields, arrays', () => {
    const text = ['▲ Next.js 16', '{"level":"info","msg":"no time"}', '[1,2]', '{"level":"info","time":"t","msg":"ok"}', 'x', 'y'].join('\n');
    expect(jsonLines(text)).toEqual({ lines: 6, bad: ['▲ Next.js 16', '{"level":"info","msg":"no time"}', '[1,2]'] });
  });
});
