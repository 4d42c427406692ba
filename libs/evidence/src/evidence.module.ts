// The evidence adapter's Nest module: the object store EVIDENCE_STORE names and the clamd scanner CLAMAV_URL names, for
// both apps.
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { ClamdScanner, type MalwareScanner } from './clamd-scanner.js';
import type { ObjectStore } from './object-store.js';
import { openObjectStore } from './open-object-store.js';

export const OBJECT_STORE = Symbol('OBJECT_STORE');
/** The scanner, or null when none is configured (EVIDENCE_SCAN=off, or no CLAMAV_URL). */
export const MALWARE_SCANNER = Symbol('MALWARE_SCANNER');

@Global()
@Module({
  providers: [
    {
      provide: OBJECT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ObjectStore =>
        openObjectStore(config.evidence.storeUrl, { presign: config.evidence.presign }),
    },
    {
      provide: MALWARE_SCANNER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MalwareScanner | null =>
        config.evidence.scan === 'clamd' && config.evidence.clamavUrl
          ? new ClamdScanner(config.evidence.clamavUrl)
          : null,
    },
  ],
  exports: [OBJECT_STORE, MALWARE_SCANNER],
})
export class EvidenceModule implements OnApplicationShutdown {
  constructor(@Inject(OBJECT_STORE) private readonly store: ObjectStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
