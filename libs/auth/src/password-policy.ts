// Which passwords are accepted (NCSC guidance): at least 12 characters, no composition rules, common and guessable ones
// refused offline.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * zxcvbn's score 3 ("safely unguessable", about 10^8 guesses or more). Below it the password is in or near
 * the common-password lists (zxcvbn-ts's common and English dictionaries, kept offline), a keyboard run,
 * a repetition or a date, or built from the person's own name or email address.
 */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
// Built on first use: loading the dictionaries takes about a second.
const zxcvbn = (): ZxcvbnFactory =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));

/**
 * Why `password` may not be used, in words a person can act on, or null when it may. `personal` are the
 * person's own details (name, email), which a password should not be built from.
 */
export function passwordProblem(password: string, personal: readonly string[] = []): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Password must be ${PASSWORD_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`;
  const inputs = personal
    .flatMap((text) => {
      const lower = text.toLowerCase();
      return [lower, lower.split('@')[0], ...lower.split(/[^a-z0-9]+/)];
    })
    .filter((part) => part.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const warning = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : '';
  return `Password is too easy to guess${warning}: choose a longer one, for example three or more random words`;
}
