// Retention (in the worker): files of recommendations closed longer than EVIDENCE_RETENTION ago are deleted, unless
// their inspection is on legal hold.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  DomainError,
  DomainErrorCode,
  Role,
  canSeeOrganisation,
  invalidInput,
  notFound,
  subtractDuration,
  type Actor,
} from '#domain';
import { OBJECT_STORE, type ObjectStore } from '#evidence';
import { Storage, type ExpiredEvidenceFile, type LegalHold } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';

/** Files deleted per transaction. */
const RETENTION_BATCH = 200;

@Injectable()
export class EvidenceRetention {
  private readonly logger = new Logger(EvidenceRetention.name);

  constructor(
    private readonly storage: Storage,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Deletes every file whose recommendation was closed before now − EVIDENCE_RETENTION (London calendar
   * arithmetic) and whose inspection has no legal hold. Each batch's rows go first, with an audit event per
   * recommendation naming each file (name, size, SHA-256) and the rule; the objects after the commit. So a
   * row never names a missing object: a crash in between leaves at worst an object no row names.
   */
  async run(): Promise<ExpiredEvidenceFile[]> {
    const now = this.clock.now();
    const cutoff = subtractDuration(now, this.config.evidence.retention);
    const deleted: ExpiredEvidenceFile[] = [];
    for (;;) {
      const batch = await this.storage.transaction(async (tx) => {
        const files = await tx.evidenceFiles.expired(cutoff, RETENTION_BATCH);
        await tx.evidenceFiles.delete(files.map((f) => f.id));
        const byRecommendation = new Map<string, ExpiredEvidenceFile[]>();
        for (const f of files)
          byRecommendation.set(f.recommendationId, [...(byRecommendation.get(f.recommendationId) ?? []), f]);
        await tx.audit.recordAll(
          now,
          [...byRecommendation].map(([recommendationId, gone]) => ({
            actorId: null,
            entityType: 'recommendation' as const,
            entityId: recommendationId,
            action: 'evidence_deleted',
            fromStatus: null,
            toStatus: null,
            comment: `EVIDENCE_RETENTION ${this.config.evidence.retention} after closure`,
            changes: {
              files: {
                from: gone.map((f) => ({ id: f.id, name: f.name, size: Number(f.size), sha256: f.sha256 })),
                to: null,
              },
            },
          })),
        );
        return files;
      });
      for (const file of batch) {
        await this.store
          .delete(file.objectKey)
          .catch((err: unknown) => this.logger.warn({ err, fileId: file.id }, 'could not delete an expired object'));
      }
      deleted.push(...batch);
      if (batch.length < RETENTION_BATCH) break;
    }
    if (deleted.length > 0) this.logger.log({ deleted: deleted.length, cutoff }, 'evidence retention deleted files');
    return deleted;
  }

  /** An administrator's legal hold on an inspection: retention deletes none of its files while it stands. */
  async placeHold(actor: Actor, inspectionId: string, reason: string): Promise<LegalHold> {
    if (actor.role !== Role.Admin)
      throw new DomainError(DomainErrorCode.Forbidden, 'only administrators may place a legal hold');
    if (!reason?.trim()) throw invalidInput('reason is required');
    const now = this.clock.now();
    const hold = { inspectionId, reason: reason.trim(), placedBy: actor.id, placedAt: now };
    await this.storage.transaction(async (tx) => {
      const inspection = await tx.inspections.findById(inspectionId);
      if (!inspection || !canSeeOrganisation(actor, inspection.organisationId)) throw notFound('inspection');
      await tx.evidenceFiles.placeHold(hold);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'inspection',
        entityId: inspectionId,
        action: 'evidence_legal_hold_placed',
        fromStatus: null,
        toStatus: null,
        comment: hold.reason,
        changes: {},
      });
    });
    return hold;
  }

  async releaseHold(actor: Actor, inspectionId: string): Promise<void> {
    if (actor.role !== Role.Admin)
      throw new DomainError(DomainErrorCode.Forbidden, 'only administrators may release a legal hold');
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      if (!(await tx.evidenceFiles.releaseHold(inspectionId))) throw notFound('legal hold');
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'inspection',
        entityId: inspectionId,
        action: 'evidence_legal_hold_released',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: {},
      });
    });
  }

  async holdOf(inspectionId: string): Promise<LegalHold | null> {
    return this.storage.pool.evidenceFiles.hold(inspectionId);
  }
}
