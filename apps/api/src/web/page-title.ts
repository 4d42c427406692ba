// Page titles: `Recommendation 16 – Merseyside NCPI 2018 – Follow-up Tracker`, most specific part first.

export const SERVICE_NAME = 'Follow-up Tracker';

export function pageTitle(...parts: string[]): string {
  return [...parts.filter((p) => p.length > 0), SERVICE_NAME].join(' – ');
}
