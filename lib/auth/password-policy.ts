import 'server-only';
// What a new password must be (docs/security.md, "Passwords"): 10 to 128 characters, and not
// easy to guess. "Easy" is zxcvbn's estimate below 10^8 guesses (score < 3), from the common-password
// and diceware lists that @zxcvbn-ts/language-common ships inside the package (nothing is fetched).
// Only the first 32 characters are scored: zxcvbn's matching grows with length (a random
// 128-character password took 1.2 s of CPU here, 32 characters at most 56 ms), and a password
// whose first 32 characters are hard to guess is hard to guess.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { translations } from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-length';

export const MIN_PASSWORD_SCORE = 3;
const SCORED_PREFIX = 32;

let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, translations, maxLength: SCORED_PREFIX }));

/**
 * Why this password may not be used, in words for the person choosing it; null when it may.
 * `related`: the account's own email and name, which make a password easier to guess.
 */
export function passwordProblem(password: string, related: string[] = []): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const inputs = related.flatMap((value) => [value, ...value.split(/[@.\s_-]+/)]).filter((value) => value.length >= 3);
  const { score, feedback } = zxcvbn().check(password.slice(0, SCORED_PREFIX), inputs);
  if (score >= MIN_PASSWORD_SCORE) return null;
  const why = feedback.warning ? `${feedback.warning.replace(/\.$/, '')}. ` : '';
  return `This password is too easy to guess. ${why}Try a longer phrase of a few uncommon words.`;
}
