// What docs/observability.md promises of the logs: every line a JSON object with level, time and
// msg. Used on the real image's container logs (scripts/image/verify.mjs).

/** `{ lines, bad }`: how many non-empty lines, and the first three that break the promise. */
export function jsonLines(text) {
  const lines = text.split('\n').filter((line) => line.trim());
  const bad = lines.filter((line) => {
    try {
      const entry = JSON.parse(line);
      return !(entry && typeof entry === 'object' && !Array.isArray(entry) && entry.level && entry.time && typeof entry.msg === 'string');
    } catch {
      return true;
    }
  });
  return { lines: lines.length, bad: bad.slice(0, 3) };
}
