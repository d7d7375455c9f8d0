/**
 * Issue #14: the dashboard in Debian's Chromium against `mcp serve` on real docker, with real test
 * MCP servers, a container that prints markup, a server that was never started and one on a host
 * that refuses connections. Screenshots of the fleet view at 1280 and 400 px go to
 * $MSM_DASHBOARD_SCREENSHOTS (default: a msm-dashboard folder in the temp directory).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { MCPServerData } from '../../../lib/data/models.js';
import { fleetSandbox, readTestHosts } from '../fleetHarness.js';
import { BUSYBOX_IMAGE, docker, freePort, type Run, type Sandbox, TEST_IMAGE } from '../harness.js';
import { accessibilityViolations, launchChromium, type Browser } from './browser.js';
import { createToken, startService, type Service } from './serviceHarness.js';

// Functions given to page.evaluate and waitForFunction run in the page. Its globals are declared
// here, for this file only, so the rest of the (Node) program is not typed with the DOM library.
declare const document: any;
declare const window: any;
declare const location: any;
declare const sessionStorage: any;
declare const localStorage: any;
declare const CSS: any;

const MARKUP = '<img src=x onerror=alert(1)>';
const SCREENSHOTS = process.env.MSM_DASHBOARD_SCREENSHOTS ?? path.join(os.tmpdir(), 'msm-dashboard');

let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let service: Service;
let browser: Browser;
let page: Page;
let tokens: { viewer: string; operator: string; client: string };
let names: { web: string; api: string; xss: string; idle: string; far: string; drifted: string };
let apiPort: number;
const dialogs: string[] = [];
const pageErrors: string[] = [];
const requested: string[] = [];

const mcp = (args: string[]): Promise<Run> => sandbox.mcp(args, vars);

async function listed(): Promise<Record<string, string | undefined>> {
  const servers = await sandbox.mcpJson<MCPServerData[]>(['list'], vars);
  return Object.fromEntries(servers.map((s) => [s.config.name, s.status?.status]));
}

const row = (name: string) => page.locator(`#fleet-table tr[data-server="${name}"]`);
const badge = (name: string) => row(name).locator('.badge');

async function waitForBadge(name: string, status: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(([n, s]) => document.querySelector(`#fleet-table tr[data-server="${CSS.escape(n as string)}"] .badge`)?.textContent === s, [name, status], { timeout });
}

async function signIn(token: string): Promise<void> {
  if (await page.locator('#sign-out').isVisible()) await page.click('#sign-out');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#fleet-view').waitFor({ state: 'visible' });
}

async function showServer(name: string): Promise<void> {
  await page.evaluate((n) => (location.hash = `#/servers/${encodeURIComponent(n)}`), name);
  await page.locator('#server-view').waitFor({ state: 'visible' });
}

async function showFleet(): Promise<void> {
  await page.getByRole('link', { name: '← All servers' }).click();
  await page.locator('#fleet-view').waitFor({ state: 'visible' });
}

const lifecycleButtons = () => page.getByRole('button', { name: /^(Start|Stop|Restart|Pull image)\b/ });

beforeAll(async () => {
  const env = await readTestHosts();
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: [], aliases: { far: env.refused.name } }));
  names = { web: sandbox.name('web'), api: sandbox.name('api'), xss: sandbox.name('xss'), idle: sandbox.name('idle'), far: sandbox.name('far'), drifted: sandbox.name('drifted') };
  const webPort = await freePort();
  apiPort = await freePort();
  const added = await Promise.all([
    mcp(['add', names.web, '--port', String(webPort), '--health', 'mcp', '--command', `docker run --stop-timeout=1 -p 127.0.0.1:${webPort}:8080 ${TEST_IMAGE}`]),
    mcp(['add', names.api, '--port', String(apiPort), '--health', 'mcp', '--command', `docker run --stop-timeout=1 -p 127.0.0.1:${apiPort}:8080 ${TEST_IMAGE}`]),
    // The markup reaches the container as an environment value and comes back in its output.
    mcp(['add', names.xss, '--env', `MSG=${MARKUP}`, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'echo "$MSG"; exec sleep 600'`]),
    mcp(['add', names.idle, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`]),
    mcp(['add', names.drifted, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`]),
    mcp(['add', names.far, '--host', 'far', '--command', `docker run ${BUSYBOX_IMAGE} sleep 600`]),
  ]);
  for (const result of added) expect(result.exitCode).toBe(0);
  const started = await mcp(['start', names.web, names.api, names.xss, names.drifted, '--wait', '--timeout', '60']);
  expect(started.exitCode).toBe(0);
  // Stopped behind mcp's back: it is still meant to run.
  expect((await docker(['stop', names.drifted])).exitCode).toBe(0);
  tokens = { viewer: await createToken(sandbox, 'wall-screen', 'viewer'), operator: await createToken(sandbox, 'on-call', 'operator'), client: await createToken(sandbox, 'agent', 'client') };
  service = await startService(sandbox, { env: vars });

  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requested.push(request.url()));
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event: { violatedDirective: string; blockedURI: string }) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${service.url}/`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await sandbox?.dispose();
});

describe('the dashboard in Chromium', () => {
  it('the sign-in page passes an accessibility audit', async () => {
    await page.locator('#sign-in-view').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-input');
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('refuses a wrong token and a gateway-only token, saying why, and keeps neither', async () => {
    await page.getByLabel('API token').fill('msm_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error', { hasText: 'refused' }).waitFor();
    await page.getByLabel('API token').fill(tokens.client);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error', { hasText: 'needs viewer or above' }).waitFor();
    expect(await page.locator('#fleet-view').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, 60_000);

  it('a viewer sees every server with its status, health and host, and no action buttons', async () => {
    await signIn(tokens.viewer);
    await expect(page.locator('#who').textContent()).resolves.toBe('wall-screen (viewer)');
    for (const name of Object.values(names)) await badge(name).waitFor();
    await page.waitForFunction((n) => /healthy · .* ms · 2 tools/.test(document.querySelector(`tr[data-server="${CSS.escape(n)}"] .col-health`)?.textContent ?? ''), names.web, { timeout: 30_000 });

    const truth = await listed();
    expect(truth).toMatchObject({ [names.web]: 'running', [names.api]: 'running', [names.xss]: 'running', [names.idle]: 'stopped', [names.drifted]: 'stopped', [names.far]: 'unknown' });
    for (const name of Object.values(names)) await waitForBadge(name, truth[name] as string);
    await expect(page.locator('#status-counts').textContent()).resolves.toMatch(/3 running.*2 stopped.*1 unknown/);
    // Desired against actual: the one stopped behind mcp's back still wants to run.
    await expect(row(names.drifted).locator('.col-drift').textContent()).resolves.toBe('wants running');
    await expect(row(names.idle).locator('.col-drift').textContent()).resolves.toBe('—');

    // The host that refuses connections is named as such, in its rows and above the table.
    await page.waitForFunction((n) => document.querySelector(`tr[data-server="${CSS.escape(n)}"] .col-host`)?.textContent === 'far (unreachable)', names.far, { timeout: 30_000 });
    await expect(page.locator('#host-problems').textContent()).resolves.toContain('Host far could not be asked');

    // Refreshes update rows in place: the same element survives the next refresh.
    await page.evaluate((n) => (document.querySelector(`tr[data-server="${CSS.escape(n)}"]`).dataset.marked = 'yes'), names.web);
    const updated = await page.locator('#fleet-updated').textContent();
    await page.waitForFunction((before) => document.querySelector('#fleet-updated').textContent !== before, updated, { timeout: 30_000 });
    expect(await row(names.web).getAttribute('data-marked')).toBe('yes');

    expect(await page.locator('#fleet-table button').count()).toBe(0);
    expect(await lifecycleButtons().count()).toBe(0);
    await showServer(names.web);
    await page.locator('#server-health dd', { hasText: 'healthy' }).first().waitFor();
    expect(await lifecycleButtons().count()).toBe(0);
    await showFleet();
  }, 120_000);

  it('filters by host and status, and the counts filter too', async () => {
    await page.getByLabel('Host', { exact: true }).selectOption('far');
    await expect(page.locator('#fleet-table tbody tr').count()).resolves.toBe(1);
    await page.getByLabel('Host', { exact: true }).selectOption('');
    await page.locator('#status-counts button', { hasText: 'stopped' }).click();
    await expect(page.locator('#fleet-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-server')))).resolves.toEqual([names.drifted, names.idle]);
    await expect(page.getByLabel('Status', { exact: true }).inputValue()).resolves.toBe('stopped');
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await expect(page.locator('#fleet-table tbody tr').count()).resolves.toBe(6);
  }, 60_000);

  it("the log view shows the server's output, follows new lines, and filters them", async () => {
    await page.getByRole('link', { name: names.api, exact: true }).click();
    await page.locator('#server-view').waitFor({ state: 'visible' });
    const lines = page.locator('#log-lines .log-line');
    await lines.filter({ hasText: 'msm-test-mcp listening on :8080' }).first().waitFor({ timeout: 30_000 });
    expect(await lines.filter({ hasText: 'GET /healthz' }).count()).toBe(0);
    // A request the test server logs now: it can only reach the page through the live stream.
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200);
    await lines.filter({ hasText: 'request GET /healthz' }).first().waitFor({ timeout: 30_000 });

    await page.getByLabel('Show lines containing').fill('healthz');
    const shown = await page.locator('#log-lines .log-line').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const line of shown) expect(line).toContain('healthz');
    await page.getByLabel('Show lines containing').fill('');
    await lines.filter({ hasText: 'listening' }).first().waitFor();
  }, 90_000);

  it('markup in a log line or a config value is shown as text, and nothing runs', async () => {
    await showServer(names.xss);
    const line = page.locator('#log-lines .log-line', { hasText: 'onerror' }).first();
    await line.waitFor({ timeout: 30_000 });
    expect(await line.textContent()).toBe(MARKUP);
    await page.locator('#server-config dd', { hasText: 'onerror' }).waitFor();
    expect(await page.locator('#server-config dd', { hasText: 'onerror' }).textContent()).toBe(`MSG=${MARKUP}`);
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
    await showFleet();
  }, 60_000);

  it('an operator sees actions; the fleet view at 1280 and 400 px fits the screen', async () => {
    await signIn(tokens.operator);
    await expect(page.locator('#who').textContent()).resolves.toBe('on-call (operator)');
    await row(names.web).getByRole('button', { name: `Stop ${names.web}` }).waitFor({ timeout: 30_000 });
    await row(names.idle).getByRole('button', { name: `Start ${names.idle}` }).waitFor();
    await page.waitForFunction((n) => /healthy/.test(document.querySelector(`tr[data-server="${CSS.escape(n)}"] .col-health`)?.textContent ?? ''), names.api, { timeout: 30_000 });

    await fs.mkdir(SCREENSHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-1280.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 400, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-400.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 720 });
    process.stderr.write(`dashboard screenshots: ${SCREENSHOTS}/dashboard-{1280,400}.png\n`);

    await showServer(names.web);
    expect(await lifecycleButtons().allTextContents()).toEqual(['Start', 'Stop', 'Restart', 'Pull image']);
    await page.locator('#server-health dd', { hasText: 'healthy' }).first().waitFor({ timeout: 30_000 });
    await page.locator('#log-lines .log-line').first().waitFor({ timeout: 30_000 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await showFleet();
  }, 90_000);

  it('cancelling the confirmation changes nothing and gives focus back', async () => {
    const stop = row(names.api).getByRole('button', { name: `Stop ${names.api}` });
    await stop.click();
    await expect(page.locator('#confirm-title').textContent()).resolves.toBe(`Stop ${names.api}?`);
    await page.keyboard.press('Escape');
    await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Stop ${names.api}`);
    expect((await listed())[names.api]).toBe('running');
  }, 60_000);

  it('an operator stops a server from the page after confirming: the row turns stopped and mcp list agrees', async () => {
    // By keyboard: Enter on the row's button, the dialog opens on Cancel, Tab to Stop, Enter.
    await row(names.web).getByRole('button', { name: `Stop ${names.web}` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Stop ${names.web}?` });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stop');
    await page.keyboard.press('Enter');
    await waitForBadge(names.web, 'stopped');
    await expect(page.locator('#fleet-result').textContent()).resolves.toContain(`${names.web}: stopped, now stopped`);
    expect((await listed())[names.web]).toBe('stopped');
    await row(names.web).getByRole('button', { name: `Start ${names.web}` }).waitFor();
    expect((await listed())[names.api]).toBe('running');
  }, 90_000);

  it('the token stays in the tab: no URL, cookie or localStorage holds it, and every request is same-origin', async () => {
    expect(await page.evaluate(() => sessionStorage.getItem('msm.token'))).toBe(tokens.operator);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await browser.context.cookies()).toEqual([]);
    expect(requested.length).toBeGreaterThan(10);
    for (const url of requested) {
      expect(url.startsWith(`${service.url}/`)).toBe(true);
      expect(url).not.toContain(tokens.operator);
      expect(url).not.toContain(tokens.viewer);
      expect(url).not.toContain(tokens.client);
    }
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('a revoked token signs the page out at its next request', async () => {
    expect((await sandbox.mcp(['token', 'revoke', 'on-call'])).exitCode).toBe(0);
    await page.locator('#sign-in-view').waitFor({ state: 'visible', timeout: 30_000 });
    await expect(page.locator('#sign-in-error').textContent()).resolves.toContain('Signed out');
    expect(await page.evaluate(() => sessionStorage.getItem('msm.token'))).toBeNull();
    expect(await page.locator('#fleet-table tbody tr').count()).toBe(0);
  }, 60_000);
});
