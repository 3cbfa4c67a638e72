// Sample lines of a Prometheus text exposition (what /api/metrics answers), for the tools and
// tests that read the app's own metrics: the soak, the SLO checks, the fallback cache's memory test.
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line: [{ name, labels: {…}, value }] (a sample's optional timestamp is ignored). */
export function samplesOf(exposition) {
  return exposition
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const brace = line.indexOf('{');
      const space = line.indexOf(' ');
      const bare = brace === -1 || brace > space;
      const end = bare ? space : line.lastIndexOf('}') + 1;
      const labels = bare ? {} : Object.fromEntries([...line.slice(brace + 1, end - 1).matchAll(LABEL)].map(([, label, value]) => [label, value]));
      return { name: line.slice(0, bare ? space : brace), labels, value: Number(line.slice(end).trim().split(/\s+/)[0]) };
    });
}

/** Of `samples` (samplesOf's), those of the first of `names` present (exporters differ in unit suffixes: `_bytes`, `_total`). */
export function samplesNamed(samples, names) {
  for (const name of names) {
    const found = samples.filter((sample) => sample.name === name);
    if (found.length) return found;
  }
  return [];
}
