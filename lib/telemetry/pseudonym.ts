// Users appear in logs and traces only as a keyed pseudonym: HMAC-SHA256 of the id, keyed by a
// key derived from the auth secret. Stable per user, not reversible without the secret, and
// never the email or the name.
import { createHmac } from 'node:crypto';
import { getEnv } from '../env';

let key: Buffer | undefined;

export function userPseudonym(userId: string): string {
  key ??= createHmac('sha256', getEnv().BETTER_AUTH_SECRET).update('jobboard/telemetry-pseudonym/v1').digest();
  return createHmac('sha256', key).update(userId).digest('hex').slice(0, 16);
}
