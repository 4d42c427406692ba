// The recommendation page's history timeline: each audit entry as a label, who and when, the status change and the
// field changes in words.
import { SCAN_IN_WORDS } from '#evidence';
import type { HistoryEntry } from '#application';
import {
  calendarDate,
  humanise,
  londonDate,
  londonDateTime,
  outcomeText,
  ragTag,
  responseText,
  statusTag,
} from './format.js';

export interface TimelineItem {
  label: string;
  byline: string;
  datetime: string;
  when: string;
  statusChange: string | null;
  comment: string | null;
  changes: string[];
}

const ACTION_LABELS: Record<string, string> = {
  'recommendation.issued': 'Issued',
  'recommendation.published': 'Published',
  'recommendation.deadlines_recomputed': 'Deadlines moved',
  submit_plan: 'Action plan submitted',
  update_progress: 'Progress updated',
  propose_closure: 'Closure proposed',
  authorise_closure: 'Closure authorised',
  return: 'Returned to the force',
  close: 'Closed',
  reopen: 'Reopened',
  evidence_uploaded: 'Evidence files uploaded',
  evidence_scanned: 'Evidence file scanned',
  evidence_withdrawn: 'Evidence file withdrawn',
  evidence_deleted: 'Evidence files deleted after the retention period',
  amend_plan: 'Action plan amended',
  withdraw_closure: 'Closure proposal withdrawn',
};

/** A history entry's action in words ("Action plan submitted"), never its code. */
export const historyActionLabel = (action: string): string =>
  ACTION_LABELS[action] ?? humanise(action.replace(/^recommendation\./, ''));

const FIELD_LABELS: Record<string, string> = {
  dueAt: 'Due date',
  actionPlanDueAt: 'Action plan deadline',
  targetDate: 'Target date',
  rag: 'RAG status',
  owner: 'Owner',
  actions: 'Actions',
  response: 'Response',
  outcome: 'Outcome',
  evidence: 'Evidence',
  evidenceFiles: 'Evidence files',
  files: 'Files',
  file: 'File',
  scan: 'Virus scan',
};

/** Dates that move: the timeline says from when to when, and why (the event's comment). */
const DATE_FIELDS = new Set(['dueAt', 'actionPlanDueAt', 'targetDate']);

function showValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (Array.isArray(value)) return value.map((v) => showValue(field, v)).join(', ');
  // An evidence file in a change is shown by its name (and a virus's signature), never its id or hash.
  if (typeof value === 'object') {
    const file = value as { name?: unknown; signature?: unknown };
    return typeof file.name === 'string'
      ? `${file.name}${typeof file.signature === 'string' ? ` (${file.signature})` : ''}`
      : '';
  }
  // An audit entry of any other shape is shown as its text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- see above
  const text = String(value);
  if (field === 'scan') return SCAN_IN_WORDS[text] ?? text;
  if (field === 'targetDate') return calendarDate(text) || text;
  if (field === 'dueAt' || field === 'actionPlanDueAt') return londonDate(text) || text;
  if (field === 'rag') return ragTag(text).text;
  if (field === 'response') return responseText(text);
  if (field === 'outcome') return outcomeText(text);
  return text;
}

function changeLines(entry: HistoryEntry): string[] {
  return Object.entries(entry.changes ?? {}).flatMap(([field, change]) => {
    // The status change says it was closed or reopened, and when: the stored moment itself is not news; nor is the
    // draft flag, which the entry's label ("Published") already says.
    if (field === 'status' || field === 'reference' || field === 'closedAt' || field === 'draft') return [];
    // Never an id: the lineage links on the page lead to the recommendation itself.
    if (field === 'supersededById') {
      const to = change !== null && typeof change === 'object' && 'to' in change ? change.to : change;
      return [to ? 'Replaced by a recommendation of a later inspection' : 'No longer marked as replaced'];
    }
    const label = FIELD_LABELS[field] ?? humanise(field);
    const isChange = change !== null && typeof change === 'object' && 'to' in change;
    const from = isChange && 'from' in change ? change.from : undefined;
    const to = isChange ? change.to : change;
    // The reason is the entry's comment, shown once beside it.
    if (DATE_FIELDS.has(field) && from !== undefined && from !== null)
      return [`${label} moved from ${showValue(field, from)} to ${showValue(field, to)}.`];
    if (from === undefined || from === null) return [`${label}: ${showValue(field, to)}`];
    return [`${label}: ${showValue(field, from)} → ${showValue(field, to)}`];
  });
}

export function timelineItem(entry: HistoryEntry, names: Map<string, string>): TimelineItem {
  const status = (s: string | null) => (s ? statusTag(s).text : '');
  return {
    label: historyActionLabel(entry.action),
    byline: entry.actorId ? (names.get(entry.actorId) ?? 'a former user') : 'the system',
    datetime: entry.at,
    when: londonDateTime(entry.at),
    statusChange:
      entry.fromStatus && entry.toStatus && entry.fromStatus !== entry.toStatus
        ? `${status(entry.fromStatus)} → ${status(entry.toStatus)}`
        : null,
    comment: entry.comment,
    changes: changeLines(entry),
  };
}
