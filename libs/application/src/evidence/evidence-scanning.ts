// Scanning an evidence file (in the worker): clamd's verdict recorded with an audit event; malware quarantined and the
// people to tell named.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { Role } from '#domain';
import {
  MALWARE_SCANNER,
  OBJECT_STORE,
  ScannerUnavailableError,
  keyIn,
  type MalwareScanner,
  type ObjectStore,
} from '#evidence';
import { Storage, type EvidenceFileRow } from '#persistence';
import { CLOCK, EVIDENCE_SCANS, type Clock, type EvidenceScanQueue } from '../tokens.js';

/** Who is told of malware: the uploader and the active administrators. */
export interface InfectedFileNotice {
  file: Pick<EvidenceFileRow, 'id' | 'name' | 'recommendationId' | 'uploadedAt'>;
  signature: string;
  recipients: { email: string; name: string }[];
}

export type ScanOutcome =
  { result: 'skipped' | 'clean' | 'unscanned' } | { result: 'infected'; notice: InfectedFileNotice };

/** Files still pending after this long are re-queued by the catch-up (their job may have been lost with Redis). */
export const SCAN_CATCH_UP_AFTER_MS = 10 * 60 * 1000;

@Injectable()
export class EvidenceScanning {
  private readonly logger = new Logger(EvidenceScanning.name);

  constructor(
    private readonly storage: Storage,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(MALWARE_SCANNER) private readonly scanner: MalwareScanner | null,
    @Inject(EVIDENCE_SCANS) private readonly scans: EvidenceScanQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Scans one pending file. When the scanner does not answer, throws (BullMQ retries with backoff) unless
   * this is the last attempt: then the file is marked unscanned. A file that is no longer pending is skipped.
   */
  async scan(fileId: string, lastAttempt: boolean): Promise<ScanOutcome> {
    const file = await this.storage.pool.evidenceFiles.get(fileId);
    if (!file || file.scan !== 'pending') return { result: 'skipped' };
    if (!this.scanner) return this.answer(file, 'unscanned');
    // A run that quarantined the object but died before recording it: the bytes are in quarantine already.
    const quarantined = keyIn('quarantine', file.objectKey);
    const key = (await this.store.exists(file.objectKey)) ? file.objectKey : quarantined;
    try {
      const verdict = await this.scanner.scan(await this.store.get(key));
      if (!verdict.infected) return this.answer(file, 'clean');
      if (key !== quarantined) await this.store.move(key, quarantined);
      if (!(await this.record(file, 'infected', verdict.signature, quarantined))) return { result: 'skipped' };
      return {
        result: 'infected',
        notice: { file, signature: verdict.signature, recipients: await this.recipients(file) },
      };
    } catch (err) {
      if (!(err instanceof ScannerUnavailableError)) throw err;
      if (!lastAttempt) throw err;
      this.logger.warn({ fileId, err }, 'the scanner did not answer on the last attempt: the file is marked unscanned');
      return this.answer(file, 'unscanned');
    }
  }

  private async answer(file: EvidenceFileRow, scan: 'clean' | 'unscanned'): Promise<ScanOutcome> {
    return (await this.record(file, scan, null, null)) ? { result: scan } : { result: 'skipped' };
  }

  /** Records the verdict with its audit event; false when another run answered first. */
  private async record(
    file: EvidenceFileRow,
    scan: 'clean' | 'infected' | 'unscanned',
    signature: string | null,
    objectKey: string | null,
  ): Promise<boolean> {
    const now = this.clock.now();
    return this.storage.transaction(async (tx) => {
      if (!(await tx.evidenceFiles.recordScan(file.id, scan, signature, objectKey, now))) return false;
      await tx.audit.record(now, {
        actorId: null,
        entityType: 'recommendation',
        entityId: file.recommendationId,
        action: 'evidence_scanned',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: {
          scan: { from: 'pending', to: scan },
          file: { from: null, to: { id: file.id, name: file.name, sha256: file.sha256, signature } },
        },
      });
      return true;
    });
  }

  private async recipients(file: EvidenceFileRow): Promise<{ email: string; name: string }[]> {
    const admins = await this.storage.pool.users.listPage(null, 20, Role.Admin);
    const people = [
      ...(file.uploaderEmail ? [{ email: file.uploaderEmail, name: file.uploaderName ?? '' }] : []),
      ...admins.map((a) => ({ email: a.email, name: a.name })),
    ];
    return people.filter((p, i) => people.findIndex((q) => q.email === p.email) === i);
  }

  /** Re-queues scans of files pending for a while (their job may be lost); the job ids make this harmless. */
  async catchUp(): Promise<number> {
    if (this.config.evidence.scan !== 'clamd') return 0;
    const ids = await this.storage.pool.evidenceFiles.pendingIds(
      new Date(this.clock.now().getTime() - SCAN_CATCH_UP_AFTER_MS),
      1000,
    );
    await this.scans.scanSoon(ids);
    return ids.length;
  }
}
