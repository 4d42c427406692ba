// What callers see of an evidence file, and which files may be downloaded or cited (clean, or unscanned where scanning
// is off on purpose).
import type { EvidenceFileRow } from '#persistence';
import type { ScanMode } from '#config';

export interface EvidenceFileView {
  id: string;
  recommendationId: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
  scan: EvidenceFileRow['scan'];
  /** The scanner's signature name, when it found malware. */
  signature: string | null;
  uploadedAt: string;
  uploadedBy: string;
  withdrawnAt: string | null;
  /** Whether its bytes may be fetched (GET /evidence/files/:id/content). */
  downloadable: boolean;
}

/** Served and citable: clean, or unscanned where scanning is switched off on purpose; never withdrawn. */
export function isServable(file: Pick<EvidenceFileRow, 'scan' | 'withdrawnAt'>, scanMode: ScanMode): boolean {
  if (file.withdrawnAt) return false;
  return file.scan === 'clean' || (file.scan === 'unscanned' && scanMode === 'off');
}

export function evidenceFileView(file: EvidenceFileRow, scanMode: ScanMode): EvidenceFileView {
  return {
    id: file.id,
    recommendationId: file.recommendationId,
    name: file.name,
    size: Number(file.size),
    type: file.type,
    sha256: file.sha256,
    scan: file.scan,
    signature: file.scanSignature,
    uploadedAt: new Date(file.uploadedAt).toISOString(),
    uploadedBy: file.uploadedBy,
    withdrawnAt: file.withdrawnAt ? new Date(file.withdrawnAt).toISOString() : null,
    downloadable: isServable(file, scanMode),
  };
}
