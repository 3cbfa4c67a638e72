// `flyctl releases --app APP --image --json | node scripts/deploy/previous-image.mjs`
// Prints the image of the newest *complete* release: what is serving before a deploy, and so what
// deploy.yml rolls back to if the new release fails its smoke test. `flyctl releases --json`
// prints fly-go's Release structs (Version, Status, ImageRef, …; field names as in Go).
// Exit 0 with the image on stdout; exit 3 when there is none (the app's first deploy: nothing to
// roll back to); exit 2 when the input is not that JSON.
import { readFileSync } from 'node:fs';

export function previousImage(releases) {
  if (!Array.isArray(releases)) throw new TypeError('expected a JSON array of releases');
  const complete = releases
    .filter((release) => String(release?.Status ?? '').toLowerCase() === 'complete' && typeof release.ImageRef === 'string' && release.ImageRef !== '')
    .sort((a, b) => Number(b.Version) - Number(a.Version));
  return complete[0] ?? null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let releases;
  try {
    releases = JSON.parse(readFileSync(0, 'utf8'));
    const release = previousImage(releases);
    if (!release) {
      console.error('No complete release with an image: this is the first deploy, there is nothing to roll back to.');
      process.exit(3);
    }
    console.error(`Serving now: v${release.Version} ${release.ImageRef}`);
    console.log(release.ImageRef);
  } catch (error) {
    console.error(`Could not read \`flyctl releases --json\` output: ${error.message}`);
    process.exit(2);
  }
}
