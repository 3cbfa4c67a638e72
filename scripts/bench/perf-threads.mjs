// Where a server's CPU goes on every one of its threads, from Linux `perf` sampling CPU time
// (`perf record -e cpu-clock`, read back with `perf script`). Used by `npm run bench:ab -- --perf`.
//
// Why not V8's profiler: `--cpu-prof` samples the JavaScript thread only, and by wall time (on a
// shared core a thread waiting for the CPU is counted in whatever it last ran). V8's helper threads
// (concurrent marking, parallel scavenging, sweeping, optimising compilers) are not in it at all,
// and on this machine they were a fifth of a list read's CPU (docs/performance.md, item 28).
// `perf` samples CPU time on every thread; JIT-compiled functions get their names from the
// /tmp/perf-PID.map a server writes with `--perf-basic-prof-only-functions`.
import { packageOf } from './profile-summary.mjs';

/** `perf script -F comm,pid,tid,ip,sym,dso` prints one sample per line (with -G: no call chain). */
export const PERF_SCRIPT_FIELDS = 'comm,pid,tid,ip,sym,dso';

/** One line of that output → { comm, pid, sym, dso }, or undefined for anything else. */
export function parsePerfSample(line) {
  const match = line.match(/^\s*(.+?)\s+(\d+)\/\d+\s+[0-9a-f]+\s+(.*?)\s*\(([^()]*)\)\s*$/);
  if (!match) return undefined;
  const [, comm, pid, sym, dso] = match;
  return { comm, pid: Number(pid), sym: sym === '[unknown]' ? '' : sym, dso };
}

/** The thread a sample ran on, by the name Node and V8 give their threads. */
export function threadOf(comm) {
  if (comm === 'MainThread' || comm === 'node') return 'JS thread';
  if (comm.startsWith('V8')) return 'V8 helpers';
  if (comm.startsWith('libuv')) return 'libuv pool';
  return 'other threads';
}

// V8's optimising compilers (Turbofan and Turboshaft, Maglev) and its parser.
const COMPILER = /compiler::|maglev::|turboshaft::|Compiler|Parser|Scanner|BytecodeGenerator/;
// The collector: marking, scavenging, sweeping, compaction and their visitors.
const GC = /Heap|Scaveng|MarkCompact|Marking|Sweep|Evacuat|MemoryAllocator|RememberedSet|SlotSet|GCTracer|MinorMS|BodyDescriptor|ObjectVisitor|Worklist|FreeList/;

/** What a sample's code was: a package (JIT-compiled JavaScript) or a part of the runtime. */
export function kindOf({ sym, dso }) {
  if (dso === '[kernel.kallsyms]' || dso === '[vdso]') return 'kernel';
  if (dso === '[unknown]') return 'unknown';
  if (/\/perf-\d+\.map$/.test(dso)) {
    // "JS:*name /path/file.js:12:3", "JS:~ node:internal/x:1:1", "Builtin:..." (a name, no file)
    const url = sym.match(/\s(\S+?):\d+:\d+$/)?.[1];
    return url ? `JS: ${packageOf(url)}` : 'JS: V8 code without a file';
  }
  if (/\/lib[^/]*\.so/.test(dso) && !/\/node$/.test(dso)) return 'libc and other shared libraries';
  if (COMPILER.test(sym)) return 'V8 compiler';
  if (sym.startsWith('v8::internal::') && GC.test(sym)) return 'V8 GC';
  if (sym.startsWith('Builtins_')) return 'V8 builtins (interpreter, ICs, stubs)';
  if (sym.startsWith('node::') || sym.startsWith('uv_') || sym.startsWith('uv__')) return 'Node and libuv C++';
  return 'V8 other (runtime, API)';
}

/** `thread · kind` for one sample. */
export const categoryOf = (sample) => `${threadOf(sample.comm)} · ${kindOf(sample)}`;

/** Samples per category for each of `pids` in a `perf script` text: Map pid → Map category → count. */
export function countSamples(text, pids) {
  const wanted = new Set(pids);
  const counts = new Map(pids.map((pid) => [pid, new Map()]));
  for (const line of text.split('\n')) {
    const sample = parsePerfSample(line);
    if (!sample || !wanted.has(sample.pid)) continue;
    const byCategory = counts.get(sample.pid);
    const category = categoryOf(sample);
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  return counts;
}

/** Adds one window's counts into a running total (both Map pid → Map category → count). */
export function addCounts(total, counts) {
  for (const [pid, byCategory] of counts) {
    const into = total.get(pid) ?? new Map();
    for (const [category, n] of byCategory) into.set(category, (into.get(category) ?? 0) + n);
    total.set(pid, into);
  }
  return total;
}

/**
 * µs of CPU per request in each category for one server: its share of the server's samples times
 * the CPU per request measured from /proc over the same windows. Shares, not sample counts, so that
 * perf's sampling rate does not enter the figure.
 */
export function microsPerRequest(byCategory, cpuMsPerRequest) {
  const total = [...byCategory.values()].reduce((sum, n) => sum + n, 0);
  if (!total) return new Map();
  return new Map([...byCategory].map(([category, n]) => [category, (n / total) * cpuMsPerRequest * 1000]));
}

/**
 * Per side, the mean over its servers of µs per request in each category, each server's figure, and
 * B − A, largest difference first. `within` is the largest gap between two servers of one side
 * (identical processes), as a fraction of that side's mean: a difference no larger than the
 * categories' within-side gaps is not told apart from noise.
 * `servers`: [{ side: 'a' | 'b', counts: Map category → count, cpuMsPerRequest }].
 */
export function compareSides(servers) {
  const perServer = servers.map((s) => ({ side: s.side, micros: microsPerRequest(s.counts, s.cpuMsPerRequest) }));
  const categories = new Set(servers.flatMap((s) => [...s.counts.keys()]));
  const rows = [...categories].map((category) => {
    const figures = (side) => perServer.filter((s) => s.side === side).map((s) => s.micros.get(category) ?? 0);
    const [aServers, bServers] = [figures('a'), figures('b')];
    const mean = (list) => list.reduce((sum, x) => sum + x, 0) / (list.length || 1);
    const gap = (list) => (list.length > 1 && mean(list) > 0 ? (Math.max(...list) - Math.min(...list)) / mean(list) : 0);
    const [a, b] = [mean(aServers), mean(bServers)];
    return { category, a, b, difference: b - a, within: Math.max(gap(aServers), gap(bServers)), aServers, bServers };
  });
  return rows.sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference) || y.a - x.a);
}
