// The Europe/London zone every calendar computation uses, with its UTC offsets remembered.
import { IANAZone } from 'luxon';
import { MINUTE_MS } from './units.js';

const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const MAX_REMEMBERED = 200_000;

/**
 * An IANA zone that remembers the UTC offset of each quarter hour it is asked about. Luxon asks the
 * platform for the offset (an Intl formatToParts call) on every DateTime it makes, which was 40 % of the
 * time spent planning a country's deadlines. Offsets change on a quarter hour (London's at 01:00 UTC);
 * a quarter hour whose two ends disagree (a historical oddity such as 1847's change from local mean time)
 * is never remembered and always asked afresh.
 */
export class RememberingZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    const known = this.offsets.get(quarter);
    if (known !== undefined) return known;
    const start = super.offset(quarter * QUARTER_HOUR_MS);
    if (Number.isNaN(start) || start !== super.offset((quarter + 1) * QUARTER_HOUR_MS - 1)) return super.offset(ts);
    if (this.offsets.size >= MAX_REMEMBERED) this.offsets.clear();
    this.offsets.set(quarter, start);
    return start;
  }
}

/** Calendar arithmetic ("six weeks", "three months") is done in this zone, per the API contract. */
export const LONDON = 'Europe/London';
export const LONDON_ZONE = new RememberingZone(LONDON);
