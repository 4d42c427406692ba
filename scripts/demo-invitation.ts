// `npm start`'s demo invitation: invites (or re-invites) a demo person and reads the link from the locally caught
// email.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient } from './seed-demo.js';

export const DEMO_INVITED_EMAIL = 'invited@demo.followup';

/**
 * Sends `invited@demo.followup` an invitation (a new one on every start, unless they accepted one already)
 * and returns its link from the caught email in `mailDir`, or a sentence saying why there is none.
 */
export async function demoInvitation(
  baseUrl: string,
  adminEmail: string,
  adminPassword: string,
  mailDir: string | undefined,
): Promise<string> {
  if (!mailDir) return '(mail goes to a real server: no demo invitation link to show)';
  const started = Date.now();
  try {
    const admin = await ApiClient.login(baseUrl, adminEmail, adminPassword);
    const existing = (await admin.list<{ id: string; email: string }>('/users')).find(
      (u) => u.email === DEMO_INVITED_EMAIL,
    );
    if (existing) {
      await admin.post(`/users/${existing.id}/invitation`, {});
    } else {
      const merseyside = (await admin.list<{ id: string; code: string }>('/organisations')).find(
        (o) => o.code === 'MERSEYSIDE',
      );
      await admin.post('/users', {
        email: DEMO_INVITED_EMAIL,
        name: 'Demo Invited Liaison',
        role: 'liaison',
        organisationIds: merseyside ? [merseyside.id] : [],
      });
    }
  } catch (err) {
    return `(no demo invitation: ${(err as Error).message})`;
  }
  // The worker mints the link as it sends the email: wait for it to arrive in the catcher's folder.
  for (let i = 0; i < 60; i++) {
    const link = await newestInvitationLink(mailDir, started);
    // The email is caught a moment before the worker commits its link: a link printed here must open.
    if (link && (await opens(baseUrl, link))) return link;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return '(the invitation email has not arrived yet: see the mail folder)';
}

async function newestInvitationLink(dir: string, since: number): Promise<string | null> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('-invitation.eml'))
    .sort()
    .reverse();
  for (const file of files) {
    const raw = await readFile(path.join(dir, file), 'utf8');
    if (!raw.includes(DEMO_INVITED_EMAIL)) continue;
    const stamp = Date.parse(
      file.slice(0, 24).replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z'),
    );
    if (Number.isFinite(stamp) && stamp < since - 1000) return null;
    // Quoted-printable soft line breaks, then the link.
    const match = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(raw.replace(/=\r?\n/g, ''));
    if (match) return match[0];
  }
  return null;
}

/** Whether the link's page opens (the worker has committed it); the link is tried on the API's own address. */
async function opens(baseUrl: string, link: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}${new URL(link).pathname}`, { headers: { accept: 'text/html' } }).catch(
    () => null,
  );
  return response?.status === 200;
}
