// The observer hook: a phase is told when it starts and when it ends, however it ends; without an observer, nothing is.
import { describe, expect, it } from '@jest/globals';
import { observed, type DispatchObserver, type DispatchPhase } from './dispatch-observer.js';

describe('observed', () => {
  it('tells the observer each phase as it starts and as it ends, failures too', async () => {
    const told: string[] = [];
    const observer: DispatchObserver = {
      phaseStarted(phase: DispatchPhase) {
        told.push(`start ${phase}`);
        return () => told.push(`end ${phase}`);
      },
    };
    await expect(observed(observer, 'claim', async () => 'claimed')).resolves.toBe('claimed');
    await expect(observed(observer, 'send', async () => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
    expect(told).toEqual(['start claim', 'end claim', 'start send', 'end send']);
  });

  it('runs the work alone without an observer', async () => {
    await expect(observed(null, 'record', async () => 3)).resolves.toBe(3);
  });
});
