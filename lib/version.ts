import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** Package version plus the git SHA when the image build provides it (`GIT_SHA`, a Docker build argument). */
export function appVersion(): string {
  if (cached) return cached;
  let version = '0.0.0';
  try {
    version = JSON.parse(readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), 'package.json'), 'utf8')).version;
  } catch {
    // Running outside the project folder: keep the placeholder rather than fail.
  }
  const sha = process.env.GIT_SHA?.slice(0, 12);
  cached = sha ? `${version}+${sha}` : version;
  return cached;
}
