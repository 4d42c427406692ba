// The webhook events a change emits, collected in its transaction; each is planned as one delivery per subscription
// that wants it.
import { WebhookEvent, webhookBody, type WebhookEventInput } from '#domain';
import type { EventToDeliver } from '#persistence';

interface RecommendationFacts {
  id: string;
  reference: string;
  status: string;
  organisationId: string;
  version: number;
}

interface InspectionFacts {
  id: string;
  title: string;
  organisationId: string;
  publishedAt: Date;
}

/** Readable words for a status in a chat message (never an enum name). */
const STATUS_WORDS: Record<string, string> = {
  issued: 'issued',
  planned: 'plan submitted',
  closure_proposed: 'closure proposed',
  closed: 'closed',
};
/** A recommendation as the dispatcher knows it when a notice about it went out. */
export interface NoticeFacts {
  id: string;
  reference: string;
  organisationId: string;
  inspectionId: string;
  inspectionTitle: string;
}

const DEADLINE_WORDS: Record<string, string> = { action_plan: 'action plan deadline', due_date: 'due date' };
const DATE_FIELDS = ['publishedAt', 'actionPlanDueAt', 'revisitDueAt'];
const words = (status: string) => STATUS_WORDS[status] ?? status.replace(/_/g, ' ');

/**
 * What one change emits; `Replanning.run` hands a fresh one to each transaction attempt and plans its
 * events before commit. Builders keep the event shapes (and their dedup keys) in one place.
 */
export class WebhookEvents {
  readonly list: WebhookEventInput[] = [];

  constructor(private readonly baseUrl: string) {}

  emit(event: WebhookEventInput): void {
    this.list.push(event);
  }

  recommendationCreated(rec: RecommendationFacts, inspection: InspectionFacts): void {
    this.emit({
      type: WebhookEvent.RecommendationCreated,
      organisationId: rec.organisationId,
      key: `created:${rec.id}`,
      summary: `Recommendation ${rec.reference} of ${inspection.title} was issued`,
      link: this.link(`/recommendations/${rec.id}`),
      data: {
        recommendationId: rec.id,
        inspectionId: inspection.id,
        organisationId: rec.organisationId,
        reference: rec.reference,
        status: rec.status,
      },
    });
  }

  /** A workflow action; a closure proposal that names evidence also emits `evidence.submitted`. */
  transitioned(
    rec: RecommendationFacts,
    inspection: InspectionFacts,
    change: {
      action: string;
      fromStatus: string;
      toStatus: string;
      comment?: string | null;
      evidence?: readonly { title: string }[];
    },
  ): void {
    if (change.evidence && change.evidence.length > 0)
      this.evidenceSubmitted(
        rec,
        inspection,
        change.evidence.map((e) => e.title.trim()),
      );
    this.emit({
      type: WebhookEvent.RecommendationTransitioned,
      organisationId: rec.organisationId,
      key: `transition:${rec.id}:${rec.version}`,
      summary: `Recommendation ${rec.reference} of ${inspection.title}: ${words(change.fromStatus)} → ${words(change.toStatus)}`,
      link: this.link(`/recommendations/${rec.id}`),
      data: {
        recommendationId: rec.id,
        inspectionId: inspection.id,
        organisationId: rec.organisationId,
        reference: rec.reference,
        action: change.action,
        fromStatus: change.fromStatus,
        toStatus: change.toStatus,
        version: rec.version,
        comment: change.comment ?? null,
      },
    });
  }

  evidenceSubmitted(rec: RecommendationFacts, inspection: InspectionFacts, titles: readonly string[]): void {
    this.emit({
      type: WebhookEvent.EvidenceSubmitted,
      organisationId: rec.organisationId,
      key: `evidence:${rec.id}:${rec.version}`,
      summary: `Evidence submitted for recommendation ${rec.reference} of ${inspection.title}`,
      link: this.link(`/recommendations/${rec.id}`),
      data: {
        recommendationId: rec.id,
        inspectionId: inspection.id,
        organisationId: rec.organisationId,
        reference: rec.reference,
        evidence: titles,
      },
    });
  }

  inspectionPublished(inspection: InspectionFacts, recommendations: number): void {
    this.emit({
      type: WebhookEvent.InspectionPublished,
      organisationId: inspection.organisationId,
      key: `published:${inspection.id}`,
      summary: `${inspection.title} was published with ${recommendations} recommendation${recommendations === 1 ? '' : 's'}`,
      link: this.link(`/inspections/${inspection.id}`),
      data: {
        inspectionId: inspection.id,
        organisationId: inspection.organisationId,
        title: inspection.title,
        publishedAt: inspection.publishedAt.toISOString(),
      },
    });
  }

  inspectionDatesChanged(inspection: InspectionFacts, version: number, changes: Record<string, unknown>): void {
    this.emit({
      type: WebhookEvent.InspectionDatesChanged,
      organisationId: inspection.organisationId,
      key: `dates:${inspection.id}:${version}`,
      summary: `The dates of ${inspection.title} changed`,
      link: this.link(`/inspections/${inspection.id}`),
      data: {
        inspectionId: inspection.id,
        organisationId: inspection.organisationId,
        title: inspection.title,
        changes,
      },
    });
  }

  /** An inspection entered: `inspection.published`, then `recommendation.created` for each of its recommendations. */
  inspectionIssued(inspection: InspectionFacts, recommendations: readonly RecommendationFacts[]): void {
    this.inspectionPublished(inspection, recommendations.length);
    for (const rec of recommendations) this.recommendationCreated(rec, inspection);
  }

  /**
   * An inspection changed: `inspection.dates_changed` when a date is among `changes` (a new title alone emits nothing).
   */
  inspectionUpdated(inspection: InspectionFacts, version: number, changes: Record<string, unknown>): void {
    const dates = Object.fromEntries(Object.entries(changes).filter(([field]) => DATE_FIELDS.includes(field)));
    if (Object.keys(dates).length > 0) this.inspectionDatesChanged(inspection, version, dates);
  }

  /**
   * A deadline passed (the first overdue notice for it went out): one event per recommendation and deadline, whoever
   * was told.
   */
  overdue(rec: NoticeFacts, deadlineType: string, deadlineAt: Date): void {
    this.emit({
      type: WebhookEvent.RecommendationOverdue,
      organisationId: rec.organisationId,
      key: `overdue:${rec.id}:${deadlineType}:${deadlineAt.toISOString()}`,
      summary: `Recommendation ${rec.reference} of ${rec.inspectionTitle} is overdue: its ${DEADLINE_WORDS[deadlineType] ?? 'deadline'} has passed`,
      link: this.link(`/recommendations/${rec.id}`),
      data: {
        recommendationId: rec.id,
        inspectionId: rec.inspectionId,
        organisationId: rec.organisationId,
        reference: rec.reference,
        deadlineType,
        deadlineAt: deadlineAt.toISOString(),
      },
    });
  }

  /** An escalation step went out to managers: one event per recommendation, deadline and step. */
  escalated(rec: NoticeFacts, deadlineType: string, deadlineAt: Date, step: string): void {
    this.emit({
      type: WebhookEvent.RecommendationEscalated,
      organisationId: rec.organisationId,
      key: `escalated:${rec.id}:${deadlineType}:${deadlineAt.toISOString()}:${step}`,
      summary: `Recommendation ${rec.reference} of ${rec.inspectionTitle} was escalated: its ${DEADLINE_WORDS[deadlineType] ?? 'deadline'} is still overdue`,
      link: this.link(`/recommendations/${rec.id}`),
      data: {
        recommendationId: rec.id,
        inspectionId: rec.inspectionId,
        organisationId: rec.organisationId,
        reference: rec.reference,
        deadlineType,
        deadlineAt: deadlineAt.toISOString(),
        step,
      },
    });
  }

  private link(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }
}

/**
 * The rows the delivery ledger stores: each event's standard body, fixed when planned (formats derive from it at send
 * time).
 */
export function eventsToDeliver(events: readonly WebhookEventInput[], at: Date): EventToDeliver[] {
  return events.map((e) => ({
    type: e.type,
    key: e.key,
    organisationId: e.organisationId,
    payload: webhookBody(e, at),
  }));
}
