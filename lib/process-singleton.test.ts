import { describe, expect, it } from 'vitest';
import { peekProcessSingleton, processSingleton, resetProcessSingletons, setProcessSingleton, takeProcessSingleton } from './process-singleton';

describe('process singletons', () => {
  it('creates a value once per process, shared across module copies (globalThis), and forgets it on reset', async () => {
    let created = 0;
    const first = processSingleton('test.thing', () => ({ n: ++created }));
    expect(processSingleton('test.thing', () => ({ n: ++created }))).toBe(first);
    // A second copy of the module (as Next's bundles load one) sees the same value.
    const copy = await import(`./process-singleton?copy=${Date.now()}`);
    expect(copy.processSingleton('test.thing', () => ({ n: ++created }))).toBe(first);
    expect(created).toBe(1);
    resetProcessSingletons();
    expect(peekProcessSingleton('test.thing')).toBeUndefined();
    expect(processSingleton('test.thing', () => ({ n: ++created }))).toEqual({ n: 2 });
  });

  it('keeps a created null, and can be set, peeked and taken', () => {
    expect(processSingleton('test.disabled', () => null)).toBeNull();
    expect(processSingleton('test.disabled', () => 'other')).toBeNull();
    setProcessSingleton('test.handle', 42);
    expect(peekProcessSingleton('test.handle')).toBe(42);
    expect(takeProcessSingleton('test.handle')).toBe(42);
    expect(peekProcessSingleton('test.handle')).toBeUndefined();
    resetProcessSingletons();
  });
});
