// The zod field builders the settings are written with: ISO durations, duration lists, URLs, whole numbers and flags.
import { z } from 'zod';
import { parsePositiveDuration, parsePositiveDurationList } from '#domain';

/** The domain's parser decides (the same one payloads go through); its message names the variable. */
const refusedBy = (parse: (text: string) => unknown) => (value: string, ctx: z.RefinementCtx) => {
  try {
    parse(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
};

export const isoDuration = (name: string) =>
  z
    .string()
    .trim()
    .superRefine(refusedBy((v) => parsePositiveDuration(v, name)));

export const durationList = (name: string) =>
  z
    .string()
    .trim()
    .superRefine(refusedBy((v) => parsePositiveDurationList(v, name)));

export const url = (name: string, protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
      message: `${name} must be a URL starting with ${protocols.join(' or ')}`,
    });

export const positiveInt = (name: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`)
    .default(fallback);

export const booleanFlag = (name: string) =>
  z
    .enum(['true', 'false'], { message: `${name} must be true or false` })
    .default('false')
    .transform((v) => v === 'true');
