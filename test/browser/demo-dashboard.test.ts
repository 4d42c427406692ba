// The demo data's dashboard in a browser: Merseyside's closures on evidence, Northamptonshire's backlog, the Met's priority item; its screenshot is the README's.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../scripts/demo-data.js';
import { seedDemo } from '../../scripts/seed-demo.js';
import type { RunningApi } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';

describe('the demo dashboard (browser)', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    await seedDemo(api.baseUrl, api.admin.email, api.admin.password, { log: () => {} });
  }, 180_000); // the seed takes every demo recommendation through its follow-up over HTTP

  afterAll(() => closeApiAndBrowser(api, browser));

  it('shows each force\'s story in its figures', async () => {
    const manager = await api.login('manager@demo.followup', DEMO_PASSWORD);
    const figures = (await api.client(manager.body.accessToken).get('/dashboard')).body;
    const force = (name: string) => figures.byOrganisation.find((g: any) => g.label === name);
    expect(force('Merseyside Police')).toMatchObject({ closed: 18, open: 1 });
    expect(force('Northamptonshire Police').overdue).toBeGreaterThanOrEqual(5);
    expect(figures.byOrganisation[0].label).toBe('Northamptonshire Police');
    expect(force('Metropolitan Police Service').open).toBeGreaterThan(0);
    expect(figures.byArea.map((g: any) => g.label)).toEqual(expect.arrayContaining(['Managing offenders', 'Custody', 'Investigating crime']));

    const context = await newContext(browser, api.baseUrl, { javaScript: true });
    const page = await context.newPage();
    await signIn(page, 'manager@demo.followup', DEMO_PASSWORD);
    await page.goto('/dashboard');
    await checkPage(page, 'demo-dashboard');
    mkdirSync(path.resolve('docs/images'), { recursive: true });
    await page.screenshot({ path: path.resolve('docs/images/dashboard.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
