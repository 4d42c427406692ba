// The dispatch pipeline's optional observer: how a benchmark or a probe times its phases without reaching into it.
export const DISPATCH_OBSERVER = Symbol('DISPATCH_OBSERVER');

export type DispatchPhase = 'drain' | 'claim' | 'load' | 'send' | 'record';

export interface DispatchObserver {
  /** A phase begins; the function returned is called when it ends, however it ends. */
  phaseStarted(phase: DispatchPhase): () => void;
}

/** Runs `work` as `phase`, told to the observer if there is one. */
export async function observed<T>(
  observer: DispatchObserver | null | undefined,
  phase: DispatchPhase,
  work: () => Promise<T>,
): Promise<T> {
  if (!observer) return work();
  const end = observer.phaseStarted(phase);
  try {
    return await work();
  } finally {
    end();
  }
}
