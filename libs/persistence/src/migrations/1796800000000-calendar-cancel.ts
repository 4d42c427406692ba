// Migration: notification kind `calendar_cancel`, the METHOD:CANCEL email for a reminder's calendar event that went
// away.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropFromInCheck, extendInCheck } from './1795900000000-progress-and-sign-ins.js';

/**
 * Widens `ck_notifications_kind` by `calendar_cancel`, keeping every value it lists (whichever migrations added them).
 */
export class CalendarCancel1796800000000 implements MigrationInterface {
  name = 'CalendarCancel1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await extendInCheck(q, 'notifications', 'ck_notifications_kind', 'kind', 'calendar_cancel');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropFromInCheck(q, 'notifications', 'ck_notifications_kind', 'kind', 'calendar_cancel');
  }
}
