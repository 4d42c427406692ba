// Beginning a signed-in web session (a new session id, listed in the person's sessions), and holding one for its second
// factor.
import type { Request } from 'express';
import type { Role } from '#domain';
import { deviceName } from './session-registry.js';
import type { WebSessions } from './web-sessions.js';

declare module 'express-session' {
  interface SessionData {
    /** Password accepted, second factor still to come: nobody is signed in yet. */
    pendingSignIn: PendingSignIn;
    /**
     * Signed in through the identity provider: its ID token, the hint for signing out there too (RP-initiated logout).
     */
    oidcIdToken: string;
  }
}

export interface PendingSignIn {
  userId: string;
  userName: string;
  email: string;
  role: Role;
  returnTo: string;
  since: number;
  /** The key being set up (two-factor set-up), until a code confirms it. */
  setupSecret?: string;
}

/** How long after the password the second factor may come. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;

const regenerate = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
/** Writes the session to its store now. */
export const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));

/** Signs the person in: a new session id (fixation), their name for the header, and an entry in their sessions list. */
export async function beginSession(
  req: Request,
  sessions: WebSessions,
  absoluteMs: number,
  user: { id: string; name: string; tokenEpoch: number },
  ip: string,
  singleSignOn?: { idToken: string },
): Promise<void> {
  await regenerate(req);
  Object.assign(
    req.session,
    { userId: user.id, userName: user.name, signedInAt: Date.now(), tokenEpoch: user.tokenEpoch },
    singleSignOn ? { oidcIdToken: singleSignOn.idToken } : {},
  );
  await saveSession(req);
  await sessions.registry.add(
    user.id,
    { sid: req.sessionID, device: deviceName(req.headers['user-agent']), address: ip, signedInAt: Date.now() },
    absoluteMs,
  );
}

/** Keeps who gave the right password, for the second factor; nobody is signed in meanwhile. */
export async function holdForSecondFactor(req: Request, pending: Omit<PendingSignIn, 'since'>): Promise<void> {
  await regenerate(req);
  req.session.pendingSignIn = { ...pending, since: Date.now() };
  await saveSession(req);
}

/** The pending sign-in, if there is one still fresh. */
export function pendingSignIn(req: Request): PendingSignIn | null {
  const pending = req.session?.pendingSignIn;
  return pending && Date.now() - pending.since < PENDING_SIGN_IN_MS ? pending : null;
}
