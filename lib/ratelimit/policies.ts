// The rate-limit policies (docs/rate-limiting.md). Each is "N per window", configurable as
// RATE_LIMIT_<POLICY>=N/<duration> (e.g. RATE_LIMIT_APPLY=10/1h; units s, m, h, d).
export type PolicyName = 'apply' | 'sign-in' | 'sign-up' | 'post-job' | 'api';
export type Policy = { name: PolicyName; limit: number; windowMs: number; window: string };

const DEFAULTS: Record<PolicyName, string> = {
  apply: '10/1h',
  'sign-in': '5/15m',
  'sign-up': '10/1h',
  'post-job': '20/1d',
  api: '300/1m',
};
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parsePolicy(name: PolicyName, spec: string): Policy {
  const match = spec.trim().match(/^(\d+)\s*\/\s*(\d+)\s*([smhd])$/);
  if (!match) throw new Error(`RATE_LIMIT_${name.toUpperCase().replace('-', '_')}: expected N/<number><s|m|h|d>, got "${spec}"`);
  const [, limit, amount, unit] = match as unknown as [string, string, string, keyof typeof UNIT_MS];
  const windowMs = Number(amount) * UNIT_MS[unit];
  if (Number(limit) < 1 || windowMs < 1_000) throw new Error(`RATE_LIMIT_${name}: the limit and the window must be positive`);
  // @upstash/ratelimit's duration format ("1 h").
  return { name, limit: Number(limit), windowMs, window: `${amount} ${unit}` };
}

export function loadPolicies(env: Record<string, string | undefined> = process.env): Record<PolicyName, Policy> {
  const entries = (Object.keys(DEFAULTS) as PolicyName[]).map((name) => {
    const key = `RATE_LIMIT_${name.toUpperCase().replace('-', '_')}`;
    return [name, parsePolicy(name, env[key] ?? DEFAULTS[name])] as const;
  });
  return Object.fromEntries(entries) as Record<PolicyName, Policy>;
}
