// Preloaded (`--import`) into a server by test/lazy-modules.test.ts: appends every package name the
// process resolves, by import or require, to RECORD_PACKAGES_FILE, one per line, as it happens.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.RECORD_PACKAGES_FILE;
const seen = new Set();
const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/', 2).join('/') : specifier.split('/', 1)[0]);

if (file) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      const bare = !/^(node:|file:|data:|\.|\/)/.test(specifier) && !resolved.url.startsWith('node:');
      if (bare) {
        const name = packageOf(specifier);
        if (!seen.has(name)) {
          seen.add(name);
          appendFileSync(file, `${name}\n`);
        }
      }
      return resolved;
    },
  });
}
