import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts long, uncommon passwords (the test and demo accounts among them)', () => {
    for (const password of ['correct horse battery', 'jobboard-demo-2026', 'Tr0ub4dor&3x-plus', 'q7#Lp-Vz9!kR2@mW']) {
      expect(passwordProblem(password), password).toBeNull();
    }
  });

  it('refuses fewer than 10 or more than 128 characters, saying which', () => {
    expect(passwordProblem('Xk9#mQ2!z')).toBe('Use at least 10 characters.');
    expect(passwordProblem('Xk9#mQ2!zv'.repeat(13))).toBe('Use at most 128 characters.');
    expect(passwordProblem('Xk9#mQ2!zv'.repeat(12) + 'Xk9#mQ2!')).toBeNull(); // exactly 128
  });

  it('refuses common passwords and their usual variants, and says why', () => {
    for (const password of ['password123', 'Password1234', 'qwertyuiop', 'iloveyou12', 'football1234', 'abc123abc123', '1234567890', 'aaaaaaaaaaaa']) {
      expect(passwordProblem(password), password).toMatch(/^This password is too easy to guess\. .+/);
    }
    expect(passwordProblem('password123')).toContain('commonly used password');
    expect(passwordProblem('aaaaaaaaaaaa')).toContain('Repeated characters');
  });

  it("refuses a password made of the account's own email or name", () => {
    expect(passwordProblem('ozymandiasvexworth', [])).toBeNull();
    expect(passwordProblem('ozymandiasvexworth', ['ozymandias.vexworth@example.com', 'Ozymandias Vexworth'])).toMatch(/too easy to guess/);
  });

  it('a weak start is not rescued by length, and scoring a 128-character password stays fast', () => {
    expect(passwordProblem('1'.repeat(128))).toMatch(/too easy to guess/);
    const random = Array.from({ length: 128 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 94))).join('');
    passwordProblem('warm-up the matcher 1');
    const started = performance.now();
    passwordProblem(random);
    const random128 = performance.now() - started;
    const short = performance.now();
    passwordProblem(random.slice(0, 32));
    const random32 = performance.now() - short;
    // The same work as 32 characters (only the first 32 are scored), not the 20x it would be.
    expect(random128).toBeLessThan(Math.max(3 * random32, 100)); // untruncated it took 1.2 s
  });
});
