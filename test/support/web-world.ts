// A small world for the browser tests: two forces, a person of every role, and an inspection of the first force led by
// `lead`.
import type { Browser } from 'playwright-core';
import type { RunningApi, TestUser, InspectionDetail } from './api-harness.js';
import { closeApiAndBrowser, startApiAndBrowser } from './browser.js';

export interface WebWorld {
  force: { id: string; name: string };
  otherForce: { id: string; name: string };
  liaison: TestUser;
  otherLiaison: TestUser;
  lead: TestUser;
  otherInspector: TestUser;
  manager: TestUser;
  admin: TestUser;
  inspection: InspectionDetail;
  /** Recommendation id by reference. */
  recs: Record<string, string>;
}

export async function createWebWorld(api: RunningApi, references: string[] = ['1', '2', '3', '4']): Promise<WebWorld> {
  const force = await api.createOrganisation({ name: `Merseyside Police ${Math.random().toString(36).slice(2, 6)}` });
  const otherForce = await api.createOrganisation({
    name: `Cheshire Constabulary ${Math.random().toString(36).slice(2, 6)}`,
  });
  const [liaison, otherLiaison, lead, otherInspector, manager, admin] = await Promise.all([
    api.createUser('liaison', [force.id], { name: 'Lena Liaison' }),
    api.createUser('liaison', [otherForce.id], { name: 'Olly Otherforce' }),
    api.createUser('inspector', [], { name: 'Ines Inspector' }),
    api.createUser('inspector', [], { name: 'Ivo Otherinspector' }),
    api.createUser('manager', [], { name: 'Mina Manager' }),
    api.createUser('admin', [], { name: 'Ada Admin' }),
  ]);
  const inspection = await api.createInspection(lead.token, {
    organisationId: force.id,
    leadInspectorId: lead.id,
    title: 'Merseyside NCPI 2018',
    programme: 'NCPI',
    publishedAt: '2018-08-30T12:00:00Z',
    recommendations: references.map((reference) => ({
      reference,
      text: `Review how registered sex offender visits are scheduled (${reference}).`,
    })),
  });
  const recs = Object.fromEntries(inspection.recommendations.map((r) => [r.reference, r.id]));
  return { force, otherForce, liaison, otherLiaison, lead, otherInspector, manager, admin, inspection, recs };
}

/**
 * The API and Chromium (startApiAndBrowser) with a web world of `references` made in it; close them with
 * closeApiAndBrowser.
 */
export async function startWebWorld(
  references?: string[],
): Promise<{ api: RunningApi; browser: Browser; world: WebWorld }> {
  const { api, browser } = await startApiAndBrowser();
  try {
    return { api, browser, world: await createWebWorld(api, references) };
  } catch (err) {
    await closeApiAndBrowser(api, browser);
    throw err;
  }
}
