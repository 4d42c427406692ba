// Evidence files for people: upload (streamed to the store, recorded with an audit event, queued for scanning), read,
// download, withdraw, cite.
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type ScanMode } from '#config';
import {
  DomainError,
  DomainErrorCode,
  Role,
  canSeeInspection,
  canSeeOrganisation,
  invalidInput,
  notFound,
  type Actor,
} from '#domain';
import { OBJECT_STORE, ingest, type ObjectStore, type StoredObject, type UploadBudget } from '#evidence';
import { Storage, type EvidenceFileRow, type Repositories } from '#persistence';
import { CLOCK, EVIDENCE_SCANS, type Clock, type EvidenceScanQueue } from '../tokens.js';
import { evidenceFileView, isServable, type EvidenceFileView } from './evidence-views.js';
import { evidenceZip } from './evidence-zip.js';

/** References sort as numbers where they are numbers. */
const REFERENCE_ORDER = new Intl.Collator(undefined, { numeric: true });

/** A file's bytes to send, or the short-lived URL that serves them. */
export type EvidenceContent =
  | { file: EvidenceFileView; body: Readable; url?: undefined }
  | { file: EvidenceFileView; url: string; body?: undefined };

/** How long a pre-signed download URL lives. */
export const PRESIGNED_SECONDS = 60;

@Injectable()
export class EvidenceService {
  constructor(
    private readonly storage: Storage,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(EVIDENCE_SCANS) private readonly scans: EvidenceScanQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The limits one request's files share. */
  budget(): UploadBudget {
    return { perFile: this.config.evidence.maxBytes, remaining: this.config.evidence.maxBytes };
  }

  /**
   * Checked before a byte of the body is read: the recommendation is visible (404), the caller is one of
   * its force's liaison officers (403), it is not closed (409), and a scanner exists where one must (503).
   */
  async assertMayUpload(actor: Actor, recommendationId: string): Promise<void> {
    const rec = await this.storage.pool.evidenceFiles.recommendationScope(recommendationId);
    if (!rec || !canSeeInspection(actor, rec)) throw notFound('recommendation');
    if (actor.role !== Role.Liaison)
      throw new DomainError(DomainErrorCode.Forbidden, "only the force's liaison officers may add evidence files");
    if (rec.status === 'closed')
      throw new DomainError(
        DomainErrorCode.TransitionNotAllowed,
        'files cannot be added to a closed recommendation (status closed)',
      );
    if (this.config.evidence.uploadsRefused) {
      throw new DomainError(
        DomainErrorCode.Unavailable,
        'uploads are refused: no virus scanner is configured (set CLAMAV_URL, or EVIDENCE_SCAN=off on purpose)',
      );
    }
  }

  /** Streams one part of the upload into the store (see ingest): nothing is kept of a refused or cut-off file. */
  ingest(body: Readable, name: string, budget: UploadBudget): Promise<StoredObject> {
    return ingest(body, name, this.store, budget);
  }

  /** Removes what an upload stored before it failed: a refused request leaves no object. */
  async discard(stored: readonly StoredObject[]): Promise<void> {
    await Promise.all(stored.map((s) => this.store.delete(s.key).catch(() => undefined)));
  }

  /** Records the stored files on the recommendation with one audit event, then asks for their scans. */
  async record(actor: Actor, recommendationId: string, stored: readonly StoredObject[]): Promise<EvidenceFileView[]> {
    if (stored.length === 0) throw invalidInput('file is required: choose at least one file');
    const now = this.clock.now();
    const scanning = this.config.evidence.scan === 'clamd';
    const ids = await this.storage.transaction(async (tx) => {
      const rec = await tx.recommendations.lockForUpdate(recommendationId);
      if (!rec || !canSeeInspection(actor, rec)) throw notFound('recommendation');
      if (rec.status === 'closed')
        throw new DomainError(
          DomainErrorCode.TransitionNotAllowed,
          'files cannot be added to a closed recommendation (status closed)',
        );
      const ids = await tx.evidenceFiles.insert(
        stored.map((s) => ({
          recommendationId,
          objectKey: s.key,
          name: s.name,
          size: s.size,
          type: s.type,
          sha256: s.sha256,
          scan: scanning ? ('pending' as const) : ('unscanned' as const),
          uploadedBy: actor.id,
          uploadedAt: now,
        })),
      );
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'recommendation',
        entityId: recommendationId,
        action: 'evidence_uploaded',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: {
          files: {
            from: null,
            to: stored.map((s, i) => ({ id: ids[i], name: s.name, size: s.size, type: s.type, sha256: s.sha256 })),
          },
        },
      });
      return ids;
    });
    if (scanning) await this.scans.scanSoon(ids);
    const rows = await this.storage.pool.evidenceFiles.ofRecommendations([recommendationId]);
    return ids.map((id) =>
      evidenceFileView(
        rows.find((r) => r.id === id)!,
        this.config.evidence.scan,
      ),
    );
  }

  private async visible(actor: Actor, id: string): Promise<EvidenceFileRow> {
    const file = await this.storage.pool.evidenceFiles.get(id);
    if (!file || !canSeeOrganisation(actor, file.organisationId)) throw notFound('evidence file');
    return file;
  }

  async get(actor: Actor, id: string): Promise<EvidenceFileView> {
    return evidenceFileView(await this.visible(actor, id), this.config.evidence.scan);
  }

  /** Every file of a recommendation the caller can see (withdrawn ones too, marked), oldest first. */
  async ofRecommendation(actor: Actor, recommendationId: string): Promise<EvidenceFileView[]> {
    const rec = await this.storage.pool.evidenceFiles.recommendationScope(recommendationId);
    if (!rec || !canSeeInspection(actor, rec)) throw notFound('recommendation');
    const rows = await this.storage.pool.evidenceFiles.ofRecommendations([recommendationId]);
    return rows.map((r) => evidenceFileView(r, this.config.evidence.scan));
  }

  /** The bytes (or a pre-signed URL to them): only of a servable file the caller can see; anything else is 404. */
  async content(actor: Actor, id: string, contentDisposition: string): Promise<EvidenceContent> {
    const row = await this.visible(actor, id);
    if (!isServable(row, this.config.evidence.scan)) throw notFound('evidence file');
    const file = evidenceFileView(row, this.config.evidence.scan);
    const url = await this.store.presign(row.objectKey, {
      contentDisposition,
      contentType: row.type,
      expiresInSeconds: PRESIGNED_SECONDS,
    });
    if (url) return { file, url };
    return { file, body: await this.store.get(row.objectKey) };
  }

  /**
   * Every file of an inspection's recommendations (withdrawn ones too, marked), for the readiness pack; 404 as the
   * inspection.
   */
  async ofInspection(
    actor: Actor,
    inspectionId: string,
  ): Promise<{ files: EvidenceFileRow[]; references: Map<string, string>; code: string }> {
    const inspection = await this.storage.pool.inspections.findById(inspectionId);
    if (!inspection || !canSeeInspection(actor, inspection)) throw notFound('inspection');
    const [files, recs, organisation] = await Promise.all([
      this.storage.pool.evidenceFiles.ofInspection(inspectionId),
      this.storage.pool.recommendations.ofInspection(inspectionId),
      this.storage.pool.organisations.findById(inspection.organisationId),
    ]);
    return {
      files,
      references: new Map(recs.map((r) => [r.id, r.reference])),
      code: organisation?.code ?? 'inspection',
    };
  }

  /** The inspection's servable files as one streamed zip with an index CSV (see evidenceZip). */
  async zipOfInspection(
    actor: Actor,
    inspectionId: string,
  ): Promise<{ filename: string; body: Readable; files: number }> {
    const { files, references, code } = await this.ofInspection(actor, inspectionId);
    const servable = files.filter((f) => isServable(f, this.config.evidence.scan));
    const entries = servable.map((file) => ({ file, reference: references.get(file.recommendationId) ?? '' }));
    entries.sort((a, b) => REFERENCE_ORDER.compare(a.reference, b.reference));
    return {
      filename: `evidence-${code}-${inspectionId.slice(0, 8)}.zip`,
      body: evidenceZip(entries, this.store),
      files: entries.length,
    };
  }

  /** Its uploader withdraws a file before the recommendation is closed: kept, marked withdrawn, in the history. */
  async withdraw(actor: Actor, id: string): Promise<EvidenceFileView> {
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const file = await tx.evidenceFiles.lock(id);
      if (!file || !canSeeOrganisation(actor, file.organisationId)) throw notFound('evidence file');
      if (file.uploadedBy !== actor.id)
        throw new DomainError(DomainErrorCode.Forbidden, 'only the person who uploaded a file may withdraw it');
      if (file.withdrawnAt) throw new DomainError(DomainErrorCode.Conflict, 'the file is already withdrawn');
      const rec = await tx.recommendations.lockForUpdate(file.recommendationId);
      if (rec?.status === 'closed')
        throw new DomainError(
          DomainErrorCode.TransitionNotAllowed,
          'a file cannot be withdrawn once the recommendation is decided (status closed)',
        );
      await tx.evidenceFiles.withdraw(id, actor.id, now);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'recommendation',
        entityId: file.recommendationId,
        action: 'evidence_withdrawn',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: { files: { from: [{ id, name: file.name, sha256: file.sha256 }], to: null } },
      });
    });
    return this.get(actor, id);
  }
}

/**
 * The files a closure proposal cites, checked inside its transaction: each of this recommendation, not
 * withdrawn and clean (or unscanned where scanning is off). Messages name the field.
 */
export async function citableFiles(
  tx: Repositories,
  recommendationId: string,
  items: readonly { fileIds?: string[] }[],
  scanMode: ScanMode,
): Promise<EvidenceFileRow[][]> {
  const all = items.flatMap((i) => i.fileIds ?? []);
  if (all.length === 0) return items.map(() => []);
  const rows = new Map((await tx.evidenceFiles.ofRecommendations([recommendationId])).map((r) => [r.id, r]));
  const problems: string[] = [];
  const cited = items.map((item, i) =>
    (item.fileIds ?? []).flatMap((fileId) => {
      const row = rows.get(fileId);
      if (!row) problems.push(`evidence[${i}].fileIds: ${fileId} is not a file of this recommendation`);
      else if (!isServable(row, scanMode)) {
        problems.push(
          `evidence[${i}].fileIds: ${row.name} is ${row.withdrawnAt ? 'withdrawn' : row.scan === 'pending' ? 'still being scanned' : row.scan}; only clean files may support a closure`,
        );
      } else return [row];
      return [];
    }),
  );
  if (problems.length > 0) throw invalidInput(...problems);
  return cited;
}
