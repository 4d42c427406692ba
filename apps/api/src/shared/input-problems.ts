// Refused input as structured problems (field, rule, message), made once: from class-validator's error tree, or by the
// checks it cannot make.
import { BadRequestException, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { inputProblem, type InputProblem } from '#domain';

export type { InputProblem };

/**
 * A request refused for its input. The API's body is the contract's (`message`: the messages, each naming its
 * field); a page reads `problems` and words each for its field.
 */
export class InvalidRequest extends BadRequestException {
  constructor(readonly problems: readonly InputProblem[]) {
    super(problems.map((p) => p.message));
  }
}

/**
 * Each failed constraint of the tree, by its path (`evidence.0.url`); nested messages are prefixed by the parent's
 * path.
 */
export function problemsOf(errors: readonly ValidationError[], parent = ''): InputProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => {
      const args = ruleArgs(error, rule);
      return { ...inputProblem(field, rule, parent ? `${parent}.${message}` : message), ...(args ? { args } : {}) };
    });
    return [...own, ...problemsOf(error.children ?? [], field)];
  });
}

/** A constraint's declared parameters (MaxLength's number), read from the class's validation metadata. */
function ruleArgs(error: ValidationError, rule: string): readonly unknown[] | undefined {
  const target = error.target?.constructor;
  if (!target) return undefined;
  const declared = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', false, false)
    .find((m) => m.propertyName === error.property && m.name === rule);
  return declared?.constraints?.length ? declared.constraints : undefined;
}
