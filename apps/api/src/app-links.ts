// Absolute links into this installation, from APP_BASE_URL (without its trailing slash).
import type { AppConfig } from '#config';

export const appBaseUrl = (config: AppConfig): string => config.env.APP_BASE_URL.replace(/\/$/, '');

/** The calendar feed link a token opens (GET /calendar/<token>.ics). */
export const calendarFeedUrl = (config: AppConfig, token: string): string =>
  `${appBaseUrl(config)}/calendar/${token}.ics`;
