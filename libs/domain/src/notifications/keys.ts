// The ledger's keys, built and read in one place: dedup keys, batch keys, slots, escalation steps, Message-ID
// identities.
import type { DeadlineType, NotificationKind } from './kinds.js';

/*
 * Stored strings: dedup keys, batch keys and offset keys are in existing ledger rows, and Message-IDs are
 * hashes of the identities below, so their text must never change. Code never takes them apart again:
 * what a row is about is in its own columns.
 */

/** The offset key of a notice sent at its moment (overdue notices, review alerts, summaries). */
export const IMMEDIATE_OFFSET = 'P0D';

/** A row's identity: (subject, deadline type, deadline date, kind, offset, recipient). */
export interface DedupKeyFields {
  /** The recommendation; for a weekly summary, the organisation summarised (or the manager, for all). */
  subjectId: string;
  deadlineType: DeadlineType;
  deadlineAt: Date;
  kind: NotificationKind;
  offsetKey: string;
  recipientId: string;
}

export function dedupKeyFor(
  subjectId: string,
  deadlineType: DeadlineType,
  deadlineAt: Date,
  kind: NotificationKind,
  offsetKey: string,
  recipientId: string,
): string {
  return formatDedupKey({ subjectId, deadlineType, deadlineAt, kind, offsetKey, recipientId });
}

export function formatDedupKey(k: DedupKeyFields): string {
  return [k.subjectId, k.deadlineType, k.deadlineAt.toISOString(), k.kind, k.offsetKey, k.recipientId].join('|');
}

/** An escalation ladder: one deadline of one recommendation, for one manager, whatever its step. */
export function escalationLadderKey(
  recommendationId: string,
  deadlineType: string,
  deadlineAt: Date,
  recipientId: string,
): string {
  return [recommendationId, deadlineType, deadlineAt.toISOString(), recipientId].join('|');
}

/** Rows of one batch go out as one email: one kind, one recipient, one digest window. */
export interface BatchKeyFields {
  kind: NotificationKind;
  recipientId: string;
  windowStart: Date;
}

/**
 * Notifications of one kind to one recipient whose send times share a digest window share a batch, and so
 * one email. Fixed windows make the key a pure function of the row: every process agrees.
 */
export function batchKeyFor(kind: NotificationKind, recipientId: string, sendAt: Date, digestWindowMs: number): string {
  return formatBatchKey({ kind, recipientId, windowStart: batchWindowStart(sendAt, digestWindowMs) });
}

export function formatBatchKey(k: BatchKeyFields): string {
  // No colons: the key may serve as a BullMQ job id, which must not contain one.
  return `${k.kind}.${k.recipientId}.${k.windowStart.getTime()}`;
}

/** The digest window an instant falls in, by its start. */
export function batchWindowStart(at: Date, digestWindowMs: number): Date {
  const windowMs = Math.max(1, digestWindowMs);
  return new Date(Math.floor(at.getTime() / windowMs) * windowMs);
}

/*
 * A slot is the instant a dispatch job runs for: a digest window boundary (epoch ms in the `dispatch-due` job's
 * payload and id, `dispatch-due.<slot>.<drain>`). Its job sends every batch whose window closed by then and every retry
 * due by then. "Slot" is the code's one word for it: not the batch's "due time" or "window end", and never a row's
 * `sendAt`, which is when the row may go at the earliest, inside the window that ends at its slot.
 */

/** A batch's slot: the end of its digest window, so that everything due within the window travels together. */
export function batchSlot(sendAt: Date, digestWindowMs: number): Date {
  return new Date(batchWindowStart(sendAt, digestWindowMs).getTime() + Math.max(1, digestWindowMs));
}

/**
 * The first slot at or after `at`: the one whose dispatch job sends what falls due then. Dispatch jobs run on
 * boundaries only, so that every batch and every retry due in one window shares one job.
 */
export function slotAtOrAfter(at: Date, digestWindowMs: number): Date {
  const windowMs = Math.max(1, digestWindowMs);
  return new Date(Math.ceil(at.getTime() / windowMs) * windowMs);
}

/**
 * The one mapping from a ledger row to its slot: its batch's slot, or the first slot at or after its retry if that is
 * later.
 * Whoever schedules a row (the planner, a refusal, the reconciler) finds the same job.
 */
export function slotOf(row: { sendAt: Date; retryAt?: Date | null }, digestWindowMs: number): Date {
  const ofBatch = batchSlot(row.sendAt, digestWindowMs);
  const due = row.retryAt && row.retryAt.getTime() > ofBatch.getTime() ? row.retryAt : ofBatch;
  return slotAtOrAfter(due, digestWindowMs);
}

/** The identity a batch's first email's Message-ID is derived from. */
export function batchMessageIdentity(batchKey: string): string {
  return batchKey;
}

/** The identity of the email for rows that joined a batch after its first email went: the batch and their ids. */
export function lateJoinersMessageIdentity(batchKey: string, rowIds: readonly string[]): string {
  return `${batchKey}|${[...rowIds].sort().join(',')}`;
}

export const ESCALATION_STEP_PREFIX = 'step-';

/**
 * An escalation's identity within its deadline: its place on the ladder (the first, the second, ...),
 * never the settings that timed it. Changing ESCALATE_AFTER or ESCALATE_EVERY moves when the next
 * step falls due; a step already in the ledger keeps its key, so it is never sent again.
 */
export function escalationOffsetKey(step: number): string {
  return `${ESCALATION_STEP_PREFIX}${step}`;
}

/**
 * The step an escalation row's offset key names. Also reads `P7D+2xP7D`, how step 2 was named before step
 * keys: migration EscalationStepKeys1795520000000 renames such rows, but keeps a twin it could not rename.
 */
export function escalationStepOf(offsetKey: string): number {
  if (offsetKey.startsWith(ESCALATION_STEP_PREFIX)) return wholeNumber(offsetKey.slice(ESCALATION_STEP_PREFIX.length));
  const [, repeat] = offsetKey.split('+');
  return repeat === undefined ? 0 : wholeNumber(repeat.split('x')[0]);
}

function wholeNumber(text: string): number {
  const n = Number(text);
  return text.length > 0 && Number.isInteger(n) && n >= 0 ? n : 0;
}
