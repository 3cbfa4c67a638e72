// The bench's verdicts, from its measured windows to ratios and goals (docs/performance.md, "How
// the bench measures"). Pure, so that what decides CI's report is tested (judge.test.ts) apart from
// the servers: run.mjs measures, this judges.

/** How far from 1 an A/A (or the identity check) may land for a run to count. */
export const NOISE_LIMIT = 0.05;

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** CPU ms per request of one server's measurement ({ cpuMs, requests }). */
export const perRequest = (run) => run.cpuMs / run.requests;

export const round3 = (value) => Math.round(value * 1000) / 1000;

/**
 * One measured window: a variant and the two controls loaded together. `ratio` is the variant's
 * CPU per request over the controls' mean in that window; `aa` the controls' B over A.
 */
export function windowOf(variant, set, a, b, x) {
  return { variant, set, a, b, x, ratio: perRequest(x) / ((perRequest(a) + perRequest(b)) / 2), aa: perRequest(b) / perRequest(a) };
}

/**
 * Which servers warm together: two at a time, each with a core of its own. With an odd count the
 * last warms beside `partner` (a server never measured), not alone with both cores to itself.
 */
export function warmGroups(servers, partner) {
  const groups = [];
  for (let i = 0; i < servers.length; i += 2) {
    const pair = servers.slice(i, i + 2);
    groups.push(pair.length === 1 && partner ? [...pair, partner] : pair);
  }
  return groups;
}

/**
 * Ratios and verdicts from every window of a run.
 * - Each variant's ratio is the median over its windows; each set's A/A the median of its windows'.
 *   Medians, because the noise here comes in lumps (one window with a major GC must not decide).
 * - A goal is judged only when its set's A/A is within ±5 %, the identity check (`disabledC`,
 *   another process of the controls' code) is within ±5 % of the controls, and the identity
 *   check's own set's A/A is within ±5 % too; never while profiling.
 * - A judged goal is missed beyond noise only when it misses by more than the larger of its set's
 *   spread and the identity check's.
 * - A variant that only adds work cannot cost less than what it adds it to: a traced server less than
 *   a telemetry-off one (ratio 1), the bare route through /api less than the bare route (0 ms). When a
 *   goal reads below that floor by more than the noise limit (5 %, of the route's cost for the proxy), its set's
 *   servers sat apart from the controls in that run, whatever its A/A says: none of that set's goals
 *   is judged (run AA in docs/performance.md read 0 % at 0.869 with its set's A/A at 0.980).
 * `controlsCpuMs`: the controls' mean CPU per request over the run (turns the proxy's ratio into ms);
 * `bareApiCpuMs`: the bare route through /api's (scales its slack).
 */
export function judge({ pairs, controlsCpuMs, bareApiCpuMs, profiling = false }) {
  if (pairs.length === 0) throw new Error('every measurement was left out: no server answered in any of them');
  const byVariant = {};
  for (const variant of new Set(pairs.map((pair) => pair.variant))) {
    const windows = pairs.filter((pair) => pair.variant === variant);
    byVariant[variant] = { ratio: median(windows.map((pair) => pair.ratio)), aa: median(windows.map((pair) => pair.aa)), windows: windows.length };
  }
  const relative = (key) => byVariant[key]?.ratio ?? NaN;
  // One A/A per set: the variants of a set share their windows, and so their A/A.
  const aaValues = [...new Set(pairs.map((pair) => pair.set))].map((set) => byVariant[pairs.find((pair) => pair.set === set).variant].aa);
  const setSpread = (key) => Math.abs((byVariant[key]?.aa ?? NaN) - 1);
  const spread = Math.max(...aaValues.map((value) => Math.abs(value - 1)));
  const identityRatio = relative('disabledC');
  const identitySpread = Math.abs(identityRatio - 1);
  const identityValid = identitySpread <= NOISE_LIMIT && setSpread('disabledC') <= NOISE_LIMIT;
  const ratios = {
    jobsVsBare: round3(relative('bare')), // capacity of /api/jobs relative to the bare route: cpu(bare) / cpu(/api/jobs)
    proxyShareMs: round3((relative('bareApi') - relative('bare')) * controlsCpuMs),
    traced100: round3(relative('traced100')), // cost relative to disabled
    traced10: round3(relative('traced10')),
    traced0: round3(relative('traced0')),
    applyVsJobs: round3(relative('apply')),
    frameworkVsRaw: round3(relative('raw') / relative('bare')),
  };
  const goalSpread = (set) => Math.max(setSpread(set), identitySpread);
  const declared = [
    { goal: '/api/jobs capacity ≥ 0.5× the bare route', measured: ratios.jobsVsBare, target: 0.5, higherIsBetter: true, set: 'bare' },
    { goal: 'proxy/rate-limit share ≤ 0.2 ms per read', measured: ratios.proxyShareMs, target: 0.2, set: 'bareApi', slack: goalSpread('bareApi') * bareApiCpuMs, floor: 0, floorMargin: NOISE_LIMIT * bareApiCpuMs },
    { goal: 'tracing 0 % ≤ 1.03× disabled', measured: ratios.traced0, target: 1.03, set: 'traced0', floor: 1, floorMargin: NOISE_LIMIT },
    { goal: 'tracing 10 % ≤ 1.06× disabled', measured: ratios.traced10, target: 1.06, set: 'traced10', floor: 1, floorMargin: NOISE_LIMIT },
    { goal: 'tracing 100 % ≤ 1.10× disabled', measured: ratios.traced100, target: 1.1, set: 'traced100', floor: 1, floorMargin: NOISE_LIMIT },
  ].filter((goal) => Number.isFinite(goal.measured));
  const setOf = (variant) => pairs.find((pair) => pair.variant === variant).set;
  const belowFloor = (goal) => goal.floor !== undefined && goal.measured < goal.floor - goal.floorMargin;
  const setsBelowFloor = new Set(declared.filter(belowFloor).map((goal) => setOf(goal.set)));
  const goals = declared.map((goal) => {
    const setBelowFloor = setsBelowFloor.has(setOf(goal.set));
    const withinNoise = setSpread(goal.set) <= NOISE_LIMIT && identityValid;
    const judged = withinNoise && !setBelowFloor && !profiling;
    const met = goal.higherIsBetter ? goal.measured >= goal.target : goal.measured <= goal.target;
    const slack = goal.slack ?? goalSpread(goal.set) * goal.target;
    const beyondNoise = goal.higherIsBetter ? goal.measured < goal.target - slack : goal.measured > goal.target + slack;
    return { goal: goal.goal, target: goal.target, measured: goal.measured, aa: round3(byVariant[goal.set].aa), judged, withinNoise, setBelowFloor, met, missedBeyondSpread: judged && !met && beyondNoise };
  });
  return {
    byVariant,
    ratios,
    goals,
    aaValues,
    spread,
    aaValid: spread <= NOISE_LIMIT,
    identity: { ratio: identityRatio, spread: identitySpread, valid: identityValid, setAa: byVariant.disabledC?.aa ?? NaN, windows: byVariant.disabledC?.windows ?? 0 },
    judged: goals.some((goal) => goal.judged),
    failed: goals.some((goal) => goal.missedBeyondSpread),
  };
}

/** 1 only for a goal missed beyond noise in a judged run, and not with --report. */
export const exitCodeFor = ({ failed, report }) => (failed && !report ? 1 : 0);
