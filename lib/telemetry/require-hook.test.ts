// Our instrumentations must not leave a require() hook behind (it taxes every require() call),
// and an instrumentation that patches modules must be refused rather than silently broken.
import Module from 'node:module';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { describe, expect, it } from 'vitest';
import { withoutRequireHook } from './start';

describe('withoutRequireHook', () => {
  it("constructs undici's and Prisma's instrumentations and removes the require hook their base class installs", () => {
    const plainRequire = Module.prototype.require;
    let hookedInside: boolean | undefined;
    const instrumentations = withoutRequireHook(() => {
      const created = [new UndiciInstrumentation(), new PrismaInstrumentation()];
      hookedInside = Module.prototype.require !== plainRequire;
      return created;
    });
    expect(hookedInside).toBe(true); // the base class did hook require()
    expect(Module.prototype.require).toBe(plainRequire); // and it is gone
    expect(instrumentations.map((instrumentation) => instrumentation.instrumentationName)).toEqual(['@opentelemetry/instrumentation-undici', '@prisma/instrumentation']);
  });

  it('refuses an instrumentation that patches modules', () => {
    class Patching extends InstrumentationBase {
      constructor() {
        super('patching', '1.0.0', {});
      }
      init() {
        return new InstrumentationNodeModuleDefinition('some-module', ['*'], (exports) => exports);
      }
    }
    expect(() => withoutRequireHook(() => [new Patching()])).toThrow(/patching patches modules/);
  });
});
