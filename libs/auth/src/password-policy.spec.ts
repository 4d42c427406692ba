// The password policy: length, no composition rules, common and guessable passwords refused with a reason.
import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('asks for at least 12 characters and at most 1,024', () => {
    expect(passwordProblem('short-pass1')).toBe('Password must be 12 characters or more');
    expect(passwordProblem('x'.repeat(1025))).toBe('Password must be 1,024 characters or fewer');
  });

  it('refuses common, breached-list and patterned passwords, saying why', () => {
    for (const common of ['password1234', 'Password123!', 'qwertyuiop12', 'aaaaaaaaaaaa', 'liverpool1234']) {
      expect(passwordProblem(common)).toMatch(/^Password is too easy to guess/);
    }
    expect(passwordProblem('password1234')).toContain('commonly used password');
  });

  it('has no composition rules: long random words pass without digits, capitals or symbols', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('lantern orbit marmalade')).toBeNull();
  });

  it('refuses a password built from the person’s own name or email address', () => {
    expect(passwordProblem('alexandra.smithson', [])).toBeNull();
    expect(passwordProblem('alexandra.smithson', ['Alexandra Smithson', 'alexandra.smithson@force.example'])).toMatch(
      /too easy to guess/,
    );
  });
});
