// For unit tests of span code: enough of a context manager for synchronous callbacks, where the
// active context is a stack (no async hooks, no dependency on the SDK's context package).
import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

export class StackContextManager implements ContextManager {
  private stack: Context[] = [ROOT_CONTEXT];
  active = () => this.stack.at(-1)!;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind = <T>(_ctx: Context, target: T) => target;
  enable = () => this;
  disable = () => this;
}
