import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageOf, summarizeProfile } from './profile-summary.mjs';

describe('packageOf', () => {
  it('names the package a function comes from', () => {
    expect(packageOf('file:///app/node_modules/next/dist/server/base-server.js')).toBe('next');
    expect(packageOf('file:///app/node_modules/@prisma/client/runtime/client.js')).toBe('@prisma/client');
    expect(packageOf('file:///app/node_modules/a/node_modules/pg/lib/client.js')).toBe('pg');
    expect(packageOf('file:///app/.next/server/chunks/123.js')).toMatch(/^app bundle/);
    expect(packageOf('file:///app/.next-bench/server/app/api/jobs/route.js')).toMatch(/^app bundle/);
    expect(packageOf('file:///app/dist/server.js')).toBe('server.ts (dist/server.js)');
    expect(packageOf('node:internal/streams/writable')).toBe('node');
    expect(packageOf('', '(garbage collector)')).toBe('GC');
    expect(packageOf('', '(idle)')).toBe('idle');
  });
});

describe('summarizeProfile', () => {
  it('adds self time per package and per function, leaving idle out of the total', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, scriptId: '0', lineNumber: 0, columnNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
        { id: 2, callFrame: frame('handle', 'file:///a/node_modules/next/dist/x.js') },
        { id: 3, callFrame: frame('query', 'file:///a/node_modules/pg/lib/q.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [2, 2, 2, 3, 4, 4],
      timeDeltas: [1000, 1000, 1000, 1000, 5000, 5000],
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'profile-')), 'x.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    const summary = summarizeProfile(file);
    expect(summary.totalMs).toBe(4);
    expect(summary.packages).toEqual([
      { name: 'next', ms: 3, percent: 75 },
      { name: 'pg', ms: 1, percent: 25 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'handle [next]', ms: 3, percent: 75 });
  });
});
