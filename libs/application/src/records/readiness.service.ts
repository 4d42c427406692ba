// The revisit readiness pack: one inspection's whole story, recommendation by recommendation, in four queries.
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { canSeeNotifications, type Actor } from '#domain';
import { Storage } from '#persistence';
import { evidenceFileView, type EvidenceFileView } from '../evidence/evidence-views.js';
import { InspectionsService } from '../inspections.service.js';
import { RECOMMENDATION_IDENTITY_COLUMNS, csvColumns, csvDate, csvTimestamp, type CsvColumn } from './csv-columns.js';
import { CLOCK, type Clock } from '../tokens.js';
import type { InspectionView, RecommendationView } from '../views.js';

export interface PackEvent {
  at: string;
  actor: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}
export interface PackDateChange {
  at: string;
  field: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}
export interface PackRecommendation extends RecommendationView {
  evidence: { title: string; url: string | null; note: string | null; submittedBy: string; createdAt: string }[];
  dateChanges: PackDateChange[];
  history: PackEvent[];
  /** Null for a reader who may not read notifications (canSeeNotifications: liaison staff, other inspectors). */
  notificationsSent:
    { kind: string; recipient: string; deadlineType: string; deadlineAt: string; sentAt: string }[] | null;
  /** Every evidence file uploaded to it, withdrawn ones too (marked), oldest first. */
  evidenceFiles: EvidenceFileView[];
}
export interface ReadinessPack {
  generatedAt: string;
  organisation: { id: string; name: string; code: string };
  leadInspector: string;
  inspection: InspectionView;
  recommendations: PackRecommendation[];
}

/** The fields whose change is a date change (with its reason) in the pack. */
const DATE_FIELDS = ['dueAt', 'actionPlanDueAt', 'targetDate'];

@Injectable()
export class ReadinessService {
  constructor(
    private readonly storage: Storage,
    private readonly inspections: InspectionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  async pack(actor: Actor, inspectionId: string): Promise<ReadinessPack> {
    // Scope and 404 exactly as GET /inspections/:id.
    const inspection = await this.inspections.get(actor, inspectionId);
    const recs = inspection.recommendations ?? [];
    const ids = recs.map((r) => r.id);
    const readiness = this.storage.pool.readiness;
    const withNotifications = canSeeNotifications(actor, inspection);
    const [head, evidence, events, sent, files] = await Promise.all([
      readiness.head(inspectionId),
      readiness.evidence(ids),
      readiness.history(ids),
      withNotifications ? readiness.noticesSent(ids) : Promise.resolve([]),
      this.storage.pool.evidenceFiles.ofInspection(inspectionId),
    ]);
    const byRec = <T extends object>(rows: T[], key: (row: T) => string) => {
      const map = new Map<string, T[]>();
      for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
      return map;
    };
    const evidenceOf = byRec(evidence, (e) => e.recommendationId);
    const eventsOf = byRec(events, (e) => e.entityId);
    const sentOf = byRec(sent, (n) => n.recommendationId);
    const filesOf = byRec(files, (f) => f.recommendationId);
    const scanMode = this.config?.evidence.scan ?? 'missing';
    return {
      generatedAt: this.clock.now().toISOString(),
      organisation: { id: head.id, name: head.name, code: head.code },
      leadInspector: head.lead,
      inspection: { ...inspection, recommendations: undefined },
      recommendations: recs.map((rec) => {
        const history = (eventsOf.get(rec.id) ?? []).map((e) => ({
          at: e.at.toISOString(),
          actor: e.actor,
          action: e.action,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          comment: e.comment,
          changes: e.changes,
        }));
        return {
          ...rec,
          evidence: (evidenceOf.get(rec.id) ?? []).map((e) => ({
            title: e.title,
            url: e.url,
            note: e.note,
            submittedBy: e.submittedBy,
            createdAt: e.createdAt.toISOString(),
          })),
          dateChanges: history.flatMap((e) => dateChangesOf(e)),
          history,
          notificationsSent: !withNotifications
            ? null
            : (sentOf.get(rec.id) ?? []).map((n) => ({
                kind: n.kind,
                recipient: n.recipientEmail,
                deadlineType: n.deadlineType,
                deadlineAt: n.deadlineAt.toISOString(),
                sentAt: n.sentAt.toISOString(),
              })),
          evidenceFiles: (filesOf.get(rec.id) ?? []).map((f) => evidenceFileView(f, scanMode)),
        };
      }),
    };
  }
}

function dateChangesOf(event: PackEvent): PackDateChange[] {
  return DATE_FIELDS.flatMap((field) => {
    const change = event.changes[field] as { from?: unknown; to?: unknown } | undefined;
    if (!change || typeof change !== 'object' || !('from' in change) || change.from == null) return [];
    return [
      {
        at: event.at,
        field,
        from: change.from as string | null,
        to: (change.to ?? null) as string | null,
        reason: event.comment,
      },
    ];
  });
}

/** The pack as one CSV row per recommendation (readinessCsvColumns leaves out what the reader may not see). */
export const READINESS_CSV_COLUMNS: readonly CsvColumn<PackRecommendation>[] = [
  ...RECOMMENDATION_IDENTITY_COLUMNS,
  ...csvColumns<PackRecommendation>({
    response: 'response',
    owner: 'owner',
    actions: 'actions',
    'target date': (r) => csvDate(r.targetDate),
    RAG: 'rag',
    'due date': (r) => csvDate(r.dueAt),
    overdue: (r) => (r.overdue ? `yes (${r.daysOverdue} days)` : 'no'),
    'superseded by': 'supersededById',
    supersedes: (r) => r.supersedes.join('; '),
    evidence: (r) => r.evidence.map((e) => [e.title, e.url, e.note].filter(Boolean).join(' - ')).join('\n'),
    'date changes': (r) =>
      r.dateChanges
        .map(
          (c) =>
            `${csvTimestamp(c.at)}: ${c.field} ${csvDate(c.from)} -> ${csvDate(c.to)}${c.reason ? ` (${c.reason})` : ''}`,
        )
        .join('\n'),
    history: (r) =>
      r.history
        .map(
          (e) =>
            `${csvTimestamp(e.at)} ${e.actor ?? 'system'}: ${e.action}${e.toStatus ? ` -> ${e.toStatus}` : ''}${e.comment ? ` (${e.comment})` : ''}`,
        )
        .join('\n'),
    'evidence files': (r) =>
      r.evidenceFiles
        .map(
          (f) => `${f.name} (${f.type}, ${f.size} bytes, ${f.withdrawnAt ? 'withdrawn' : f.scan}, sha256 ${f.sha256})`,
        )
        .join('\n'),
    'notifications sent': (r) =>
      (r.notificationsSent ?? []).map((n) => `${csvTimestamp(n.sentAt)} ${n.kind} to ${n.recipient}`).join('\n'),
  }),
];

/** The CSV columns of this pack: without `notifications sent` when its reader may not read notifications. */
export function readinessCsvColumns(actor: Actor, pack: ReadinessPack): readonly CsvColumn<PackRecommendation>[] {
  return canSeeNotifications(actor, pack.inspection)
    ? READINESS_CSV_COLUMNS
    : READINESS_CSV_COLUMNS.filter((c) => c.header !== 'notifications sent');
}
