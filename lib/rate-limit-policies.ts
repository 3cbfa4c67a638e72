// The rate-limit policies (docs/rate-limiting.md). Each is "N per window", configurable as
// RATE_LIMIT_<POLICY>=N/<duration> (e.g. RATE_LIMIT_APPLY=10/1h; units s, m, h, d).
export const POLICY_NAMES = ['apply', 'sign-in', 'sign-up', 'post-job', 'api'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
export type Policy = { name: PolicyName; limit: number; windowMs: number; window: string };

export const DEFAULT_POLICY_SPECS: Record<PolicyName, string> = {
  apply: '10/1h',
  'sign-in': '5/15m',
  'sign-up': '10/1h',
  'post-job': '20/1d',
  api: '300/1m',
};
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SPEC = /^(\d+)\s*\/\s*(\d+)\s*([smhd])$/;

/** The variable that configures each policy. */
export const POLICY_ENV_KEYS = {
  apply: 'RATE_LIMIT_APPLY',
  'sign-in': 'RATE_LIMIT_SIGN_IN',
  'sign-up': 'RATE_LIMIT_SIGN_UP',
  'post-job': 'RATE_LIMIT_POST_JOB',
  api: 'RATE_LIMIT_API',
} as const satisfies Record<PolicyName, string>;
type PolicyEnvKey = (typeof POLICY_ENV_KEYS)[PolicyName];

/** Why `spec` is not a policy, or null when it is one. */
export function policySpecProblem(spec: string): string | null {
  const match = spec.trim().match(SPEC);
  if (!match) return `expected N/<number><s|m|h|d>, got "${spec}"`;
  if (Number(match[1]) < 1 || Number(match[2]) < 1) return 'the limit and the window must be positive';
  return null;
}

export function parsePolicy(name: PolicyName, spec: string): Policy {
  const problem = policySpecProblem(spec);
  if (problem) throw new Error(`${POLICY_ENV_KEYS[name]}: ${problem}`);
  const [, limit, amount, unit] = spec.trim().match(SPEC) as unknown as [string, string, string, keyof typeof UNIT_MS];
  const windowMs = Number(amount) * UNIT_MS[unit];
  // @upstash/ratelimit's duration format ("1 h").
  return { name, limit: Number(limit), windowMs, window: `${amount} ${unit}` };
}

/** Every policy from its (already validated, lib/env.ts) RATE_LIMIT_* value or its default. */
export function loadPolicies(env: Partial<Record<PolicyEnvKey, string>>): Record<PolicyName, Policy> {
  return Object.fromEntries(POLICY_NAMES.map((name) => [name, parsePolicy(name, env[POLICY_ENV_KEYS[name]] ?? DEFAULT_POLICY_SPECS[name])])) as Record<PolicyName, Policy>;
}
