// `npm start` on a fresh clone: build once if there is no build yet (later starts skip this).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('.next/BUILD_ID') || !existsSync('dist/server.js')) {
  console.log('No production build yet: building once (about a minute on 2 cores)…');
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    console.error('The build failed; see the output above.');
    process.exit(result.status ?? 1);
  }
  console.log(`Build finished in ${Math.round((Date.now() - started) / 1000)} s.`);
}
