// Types for the part of the clamscan package (which ships none) that the scanner uses.
declare module 'clamscan' {
  import type { Readable } from 'node:stream';

  interface ClamdOptions {
    host?: string;
    port?: number;
    timeout?: number;
    localFallback?: boolean;
    bypassTest?: boolean;
    active?: boolean;
  }

  export default class NodeClam {
    init(options: {
      clamdscan?: ClamdOptions;
      clamscan?: { active?: boolean };
      preference?: 'clamdscan' | 'clamscan';
    }): Promise<NodeClam>;
    scanStream(stream: Readable): Promise<{ isInfected: boolean | null; viruses: string[] }>;
  }
}
