// What start-up would say about an environment: the problems loadConfig lists (none when it starts).
import { ConfigError, loadConfig } from '#config';

export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
