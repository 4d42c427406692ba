// Each person's web sessions, listed for "Your account" and ended together (another device, a new password): a Redis
// hash per person.
import type { Redis } from 'ioredis';

/** One session as the person sees it: the device (browser and system), the address it came from, when it began. */
export interface SessionEntry {
  sid: string;
  device: string;
  address: string;
  signedInAt: number;
}

/**
 * `<prefix>:user-sessions:<userId>` maps each session id to what it was signed in from. The sessions
 * themselves stay in express-session's store (`<prefix>:web-session:<sid>`); ending one deletes that key,
 * so its next request finds no session. Entries whose session has lapsed are dropped when listed.
 */
export class SessionRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private userKey = (userId: string) => `${this.prefix}:user-sessions:${userId}`;
  private sessionKey = (sid: string) => `${this.prefix}:web-session:${sid}`;

  async add(userId: string, entry: SessionEntry, ttlMs: number): Promise<void> {
    const key = this.userKey(userId);
    await this.redis.multi().hset(key, entry.sid, JSON.stringify(entry)).pexpire(key, ttlMs).exec();
  }

  async remove(userId: string, sid: string): Promise<void> {
    await this.redis.hdel(this.userKey(userId), sid);
  }

  /** The person's live sessions, newest first. */
  async list(userId: string): Promise<SessionEntry[]> {
    const all = await this.redis.hgetall(this.userKey(userId));
    const entries = Object.values(all).flatMap((text) => {
      try {
        return [JSON.parse(text) as SessionEntry];
      } catch {
        return [];
      }
    });
    if (entries.length === 0) return [];
    const alive = await Promise.all(entries.map((e) => this.redis.exists(this.sessionKey(e.sid))));
    const dead = entries.filter((_, i) => alive[i] === 0).map((e) => e.sid);
    if (dead.length > 0) await this.redis.hdel(this.userKey(userId), ...dead);
    return entries.filter((_, i) => alive[i] === 1).sort((a, b) => b.signedInAt - a.signedInAt);
  }

  /** Ends every session of the person but `keepSid`; says how many ended. */
  async endAll(userId: string, keepSid?: string): Promise<number> {
    const sids = Object.keys(await this.redis.hgetall(this.userKey(userId))).filter((sid) => sid !== keepSid);
    if (sids.length === 0) return 0;
    await this.redis.del(...sids.map(this.sessionKey));
    await this.redis.hdel(this.userKey(userId), ...sids);
    return sids.length;
  }
}

/** "Chrome on Windows": enough for a person to recognise their own device, from the User-Agent header. */
export function deviceName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'A browser';
  const system = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad/.test(ua)
      ? 'iPhone or iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Mac OS X/.test(ua)
          ? 'a Mac'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${system}`;
}
