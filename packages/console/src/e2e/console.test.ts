/**
 * The seed flow "in the Console", in Debian's real Chromium (driven by playwright-core, never a
 * downloaded browser) against a real pier-server with a real SMTP capture: the admin invites a
 * machine user in Access, the bot signs up from the e-mailed link, creates and copies an API token,
 * the CLI logs in with it, and the admin stores it as a sensitive variable that is never shown
 * again. Every page is checked with axe-core; with PIER_UPDATE_SCREENSHOTS=1 each is also saved as
 * the docs' screenshot (docs/screenshots/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../../../../test-support/mailbox.js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, freePort, repoRoot, type PierServer } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { runProgram } from '../../../../test-support/programs.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// The docs' screenshots are taken only when asked (PIER_UPDATE_SCREENSHOTS=1), so a test run
// leaves the checkout as it found it (and a full-page screenshot costs Chromium ~0.5 s of CPU).
const screenshots = process.env.PIER_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'docs/screenshots') : undefined;
const chromiumPath = '/usr/bin/chromium';
const BOT_EMAIL = 'bot@example.com';
const BOT_PASSWORD = 'machine user password';


/** Runs the bundled CLI with the token on standard input, as `pier auth:api-token-login < token.txt`. */
async function pierCli(args: string[], env: Record<string, string>, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runProgram(process.execPath, [path.join(repoRoot, 'packages/cli/bin/pier.cjs'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const describeWithChromium = fs.existsSync(chromiumPath) ? describe : describe.skip;

describeWithChromium('the web console in Chromium', () => {
  let smtpPort: number;
  let mailbox: ReturnType<typeof startMailbox>;
  let server: PierServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: TestActor;
  let projectId: string;
  const problems: string[] = [];
  /** Paths the test sends a bad request to on purpose: the browser logs each 400 as an error. */
  const provokedBadRequests = new Set<string>();
  const axeReports: Record<string, number> = {};

  /** Requests the page started that have not finished yet. */
  let requestsInFlight = 0;

  beforeAll(async () => {
    smtpPort = await freePort();
    mailbox = startMailbox(smtpPort);
    await mailbox.listening;
    [server, browser] = await Promise.all([
      startListeningServer({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PIER_MAIL_FROM: 'Pier <pier@example.com>', PIER_API_TOKEN_MAX_LIFETIME: '90d' } }),
      // launch() gives the browser a fresh temporary profile (--user-data-dir) and removes it on close.
      chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      }),
    ]);
    admin = await actor(server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(server, admin, 'Shop');
    await request(`${server.url}/projects/${projectId}/environments/main/branch`, { headers: admin.headers, json: { name: 'dev', type: 'development' } });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    // The console must run under its Content-Security-Policy without a single error.
    page.on('console', (message) => {
      if (message.type() !== 'error' || /status of (401|410) /.test(message.text())) return;
      const provoked = /status of 400 /.test(message.text()) && provokedBadRequests.has(new URL(message.location().url, server.url).pathname);
      if (!provoked) problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', () => requestsInFlight++);
    page.on('requestfinished', () => requestsInFlight--);
    page.on('requestfailed', () => requestsInFlight--);
    if (screenshots) fs.mkdirSync(screenshots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    // On failure, what the browser showed last helps more than a stack trace.
    await page?.screenshot({ path: path.join(process.env.PIER_TEST_KEPT_DIR ?? os.tmpdir(), 'pier-console-last.png') }).catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await mailbox?.close();
  });

  /**
   * Settled: no request in flight and no loading indicator, still so a frame later (an answer can
   * start the next request). What Playwright's 'networkidle' tells after 500 ms of quiet, without
   * the 500 ms on each of the pages below.
   */
  const settled = async () =>
    requestsInFlight === 0 &&
    (await page.evaluate(() => new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(!document.querySelector('.loading')))))) &&
    requestsInFlight === 0;

  /** axe-core on the current page (no serious or critical violation), then the docs' screenshot when asked. */
  async function checkPage(name: string, options: { mask?: string[] } = {}) {
    await expect.poll(settled, { interval: 20 }).toBe(true);
    // Runtime.evaluate is not subject to the page's CSP, so the app keeps its real policy.
    await page.evaluate(axeSource);
    const results = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
      return axe.run(document, { resultTypes: ['violations'] });
    });
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    axeReports[name] = results.violations.length;
    expect(serious.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true, mask: (options.mask ?? []).map((selector) => page.locator(selector)) });
  }

  async function logIn(email: string, password: string) {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  }

  async function logOut() {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in to Pier' }).waitFor();
  }

  it('runs the seed flow: invite in Access, sign up from the e-mail, create and copy an API token, CLI login, sensitive variable', async () => {
    const started = Date.now();
    const url = server.url;

    // A wrong password gets the server's message, not a status code.
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'Log in to Pier' }).waitFor();
    await page.getByLabel('E-mail address').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The e-mail address or password is wrong.');
    await checkPage('login');

    // The admin invites the bot as viewer + development contributor in Project Settings › Access.
    await logIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await checkPage('projects');
    await page.getByRole('link', { name: 'Shop' }).click();
    await page.getByRole('heading', { level: 2, name: 'Environments' }).waitFor();
    await page.getByRole('link', { name: 'dev' }).waitFor();
    await checkPage('project');
    await page.getByRole('link', { name: 'Settings › Access' }).click();
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByLabel('E-mail address').fill(BOT_EMAIL);
    await page.getByLabel('Project role').selectOption('viewer');
    await page.getByLabel('Role on development environments').selectOption('contributor');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText(`Invitation sent to ${BOT_EMAIL}`).waitFor();
    await page.getByRole('table', { name: 'Pending invitations' }).getByRole('rowheader', { name: BOT_EMAIL }).waitFor();
    await checkPage('access');

    // The e-mail arrives over real SMTP; its link opens the sign-up page.
    const mail = await mailbox.next(1);
    expect(mail.to).toMatchObject({ text: BOT_EMAIL });
    const link = /(http:\/\/\S+\/sign-up\?invitation=[\w-]+)/.exec(mail.text ?? '')?.[1];
    expect(link).toBeDefined();
    await logOut();

    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'Join Shop' }).waitFor();
    await expect(page.getByText('with these roles').textContent()).resolves.toContain('viewer, development:contributor');
    await checkPage('sign-up');
    await page.getByLabel('First name').fill('Deploy');
    await page.getByLabel('Last name').fill('Bot');
    await page.getByLabel('Choose a password').fill(BOT_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('link', { name: 'dev' }).waitFor();
    // The bot sees only what it may: the development environment, and no Add in Access.
    expect(await page.getByRole('link', { name: 'main' }).count()).toBe(0);

    // The bot logs in again (as the seed says), opens My profile › API tokens and creates one.
    await logOut();
    await logIn(BOT_EMAIL, BOT_PASSWORD);
    await page.getByRole('link', { name: 'My profile' }).click();
    await page.getByRole('heading', { level: 2, name: 'API tokens' }).waitFor();
    await page.getByText('You have no API tokens yet.').waitFor();
    // Expiry choices stop at the instance maximum (90 days here), which is the default; no "No expiry".
    const expiry = page.getByLabel('Expires after');
    await expect(expiry.locator('option').allTextContents()).resolves.toEqual(['7 days', '30 days', '90 days (the maximum)', 'On a date…']);
    await expect(expiry.inputValue()).resolves.toBe('max');
    await expiry.selectOption('date');
    const lastDays = [88, 89].map((days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10));
    expect(lastDays).toContain(await page.getByLabel('Expires on').getAttribute('max'));
    await expiry.selectOption('max');
    await page.getByLabel('Token name').fill('cron');
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByText('This token will not be shown again').waitFor();
    const shown = await page.getByLabel('API token', { exact: true }).inputValue();
    expect(shown).toMatch(/^pier_[0-9A-Za-z]{49}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);
    await checkPage('api-token-created', { mask: ['input.mono'] });
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    expect(await page.content()).not.toContain(copied);
    await page.getByRole('row', { name: /cron/ }).getByText('Never').first().waitFor();
    await page.getByRole('row', { name: /cron/ }).getByText('Expires in 90 days').waitFor();

    // `pier auth:api-token-login` accepts the copied token.
    const cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-console-cli-'));
    const login = await pierCli(['auth:api-token-login'], { PIER_CLI_API_URL: url, PIER_CLI_HOME: cliHome }, `${copied}\n`);
    expect(login.stderr).toContain('You are logged in.');
    expect(login.stderr).toContain(`Email address: ${BOT_EMAIL}`);
    expect(login.code).toBe(0);

    // Last used shows up; a second token is revoked after a confirmation.
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('row', { name: /cron/ }).waitFor();
        return page.getByRole('row', { name: /cron/ }).getByText('from 127.0.0.1').count();
      }, { timeout: 10_000 })
      .toBe(1);
    await page.getByLabel('Token name').fill('temporary');
    await page.getByLabel('Expires after').selectOption('7d');
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    await page.getByRole('row', { name: /temporary/ }).getByText('Expires in 7 days').waitFor();
    await page.getByRole('button', { name: 'Revoke temporary' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain('Revoke the API token temporary?');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('The token “temporary” was revoked.').waitFor();
    // The notice can show before the list has reloaded.
    await page.getByRole('row', { name: /temporary/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('row', { name: /temporary/ }).count()).toBe(0);
    // An expired token stays listed, marked expired (made over the API: the form offers no past dates).
    const botBearer = await request(`${url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: copied } });
    const shortLived = await request(`${url}/users/me/api-tokens`, {
      headers: bearer(String(botBearer.body.access_token)),
      json: { name: 'short-lived', expires_at: new Date(Date.now() + 1000).toISOString() },
    });
    expect(shortLived.status).toBe(201);
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('row', { name: /short-lived/ }).waitFor();
        return page.getByRole('row', { name: /short-lived/ }).getByText('Expired').count();
      }, { timeout: 10_000 })
      .toBe(1);

    // A token limited to Shop (development contributor at most) and to some addresses; a bad range gets the server's message.
    await page.getByLabel('Token name').fill('deploy');
    await page.getByText('Limits (optional): projects and IP ranges').click();
    await page.getByRole('checkbox', { name: /Shop/ }).check();
    await page.getByRole('group', { name: 'Token roles in Shop' }).getByLabel('Role on development environments').selectOption('contributor');
    await page.getByLabel('Allowed IP ranges').fill('10.0.0.0/8, 10.0.0.0/33');
    provokedBadRequests.add('/users/me/api-tokens');
    await page.getByRole('button', { name: 'Create API token' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('"10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR.');
    await checkPage('api-token-limits');
    await page.getByLabel('Allowed IP ranges').fill('10.0.0.0/8\n192.168.1.7');
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('heading', { name: 'Your new API token “deploy”' }).waitFor();
    const deploySecret = await page.getByLabel('API token', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    const deployRow = page.getByRole('row', { name: /deploy/ });
    await deployRow.getByText('Shop: viewer, development:contributor').waitFor();
    await deployRow.getByText('From 10.0.0.0/8, 192.168.1.7/32').waitFor();
    await expect(page.getByRole('row', { name: /cron/ }).getByRole('cell', { name: 'None' }).count()).resolves.toBe(1);

    // Rotating it shows the new secret once; the old one keeps working for the chosen overlap.
    await deployRow.getByRole('button', { name: 'Rotate deploy' }).click();
    const rotation = page.getByRole('dialog', { name: /Rotate the API token deploy\?/ });
    await rotation.getByLabel('For 1 day').check();
    await checkPage('api-token-rotate');
    await rotation.getByRole('button', { name: 'Rotate token' }).click();
    await page.getByRole('heading', { name: 'New secret for the API token “deploy”' }).waitFor();
    await page.getByText('The old secret works until').waitFor();
    const rotatedSecret = await page.getByLabel('API token', { exact: true }).inputValue();
    expect(rotatedSecret).toMatch(/^pier_[0-9A-Za-z]{49}$/);
    expect(rotatedSecret).not.toBe(deploySecret);
    await checkPage('api-token-rotated', { mask: ['input.mono'] });
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    expect(await page.content()).not.toContain(rotatedSecret);
    await deployRow.getByText('Old secret works until').waitFor();
    await checkPage('api-tokens');

    // Keyless CI: a trust policy is added (a bad one is explained first), shown and deleted.
    await page.getByRole('heading', { level: 2, name: 'Trust policies' }).waitFor();
    await page.getByText('You have no trust policies yet.').waitFor();
    await page.getByLabel('Policy name').fill('github-deploy');
    await page.getByLabel('Conditions').fill('workflow=deploy');
    // The browser logs the refused request (400): expected here.
    provokedBadRequests.add('/users/me/trust-policies');
    await page.getByRole('button', { name: 'Add trust policy' }).click();
    await page.getByText('Conditions must include at least one of sub, repository').waitFor();
    await page.getByLabel('Conditions').fill('repository=acme/shop\nref=refs/heads/main');
    await page.getByRole('button', { name: 'Add trust policy' }).click();
    await page.getByText('The trust policy “github-deploy” was added.').waitFor();
    const policyRow = page.getByRole('row', { name: /github-deploy/ });
    await policyRow.waitFor();
    expect(await policyRow.textContent()).toContain('https://token.actions.githubusercontent.com');
    expect(await policyRow.textContent()).toContain('repository=acme/shop');
    expect(await policyRow.textContent()).toContain('ref=refs/heads/main');
    await checkPage('trust-policies');
    await page.getByRole('button', { name: 'Delete trust policy github-deploy' }).click();
    const policyDialog = page.getByRole('dialog');
    await expect(policyDialog.textContent()).resolves.toContain('Delete the trust policy github-deploy?');
    await policyDialog.getByRole('button', { name: 'Delete trust policy' }).click();
    await page.getByText('The trust policy “github-deploy” was deleted.').waitFor();
    await policyRow.waitFor({ state: 'detached' });
    await page.getByText('You have no trust policies yet.').waitFor();
    await logOut();

    // A used invitation link gets a clear page.
    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'This invitation link can no longer be used' }).waitFor();
    await page.getByText('This invitation has already been used. Log in instead.').waitFor();
    await checkPage('sign-up-used');

    // The admin adds the sensitive env:PIER_CLI_TOKEN variable; its value never comes back.
    const responses: Array<Promise<string>> = [];
    page.on('response', (response) => {
      if (response.request().method() !== 'OPTIONS') responses.push(response.text().catch(() => ''));
    });
    await logIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${url}/console/projects/${projectId}/environments/main/settings/variables`);
    await page.getByRole('heading', { level: 1, name: 'Variables' }).waitFor();
    await page.getByRole('button', { name: '+ Add variable' }).click();
    await page.getByLabel('Variable name').fill('env:PIER_CLI_TOKEN');
    await page.getByLabel('Value', { exact: true }).fill(copied);
    await page.getByLabel('Sensitive variable').check();
    await page.getByLabel('Available at build time').uncheck();
    expect(await page.getByLabel('Available at runtime').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByText('Variable env:PIER_CLI_TOKEN added.').waitFor();
    const row = page.getByRole('row', { name: /env:PIER_CLI_TOKEN/ });
    await row.getByText('Hidden (sensitive)').waitFor();
    await row.getByText('runtime').waitFor();
    expect(await row.getByText('build', { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(copied);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(copied);
    // Editing it shows an empty value field, not the secret.
    await page.getByRole('button', { name: 'Edit env:PIER_CLI_TOKEN' }).click();
    expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await checkPage('variables');

    // Backups: create one (an activity), watch it finish, restore it; follow the log live.
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('button', { name: 'Create backup' }).click();
    await page.getByText('Backup started.').waitFor();
    await page.getByRole('table', { name: 'Backups' }).getByText('created', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: /^Restore the backup of / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore backup' }).click();
    await page.getByText('Restore started.').waitFor();
    await checkPage('backups');
    await page.getByRole('link', { name: 'Follow its log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    await page.getByText('End of log.').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('log').textContent()).not.toBe('');
    await checkPage('activities');

    // Nothing the browser received after the variable was stored contains the token.
    const bodies = await Promise.all(responses);
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.filter((body) => body.includes(copied))).toEqual([]);
    for (const apiPath of [`/projects/${projectId}/environments/main/variables`, `/projects/${projectId}/environments/main/variables/env%3APIER_CLI_TOKEN`]) {
      const fetched = await request(`${url}${apiPath}`, { headers: admin.headers });
      expect(fetched.status).toBe(200);
      expect(JSON.stringify(fetched.body)).not.toContain(copied);
    }

    // The instance admin deactivates the bot where they see it (after a confirmation), then lets it in again.
    await page.goto(`${url}/console/projects/${projectId}/settings/access`);
    const botRow = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(BOT_EMAIL) });
    await botRow.getByRole('button', { name: `Deactivate ${BOT_EMAIL}` }).click();
    expect(await page.getByRole('button', { name: `Deactivate ${ADMIN_EMAIL}` }).count()).toBe(0);
    const deactivation = page.getByRole('dialog');
    await expect(deactivation.textContent()).resolves.toContain('This cuts every credential at once');
    await deactivation.getByRole('button', { name: 'Deactivate user' }).click();
    await page.getByText(`${BOT_EMAIL} was deactivated`).waitFor();
    await botRow.getByText('deactivated', { exact: true }).waitFor();
    await checkPage('access-deactivated');
    // The CLI logged in with the bot's token is cut off at once.
    const cutOff = await pierCli(['auth:info'], { PIER_CLI_API_URL: url, PIER_CLI_HOME: cliHome }, '');
    expect(cutOff.stderr).toContain('The API token is invalid.');
    expect(cutOff.code).not.toBe(0);
    await botRow.getByRole('button', { name: `Reactivate ${BOT_EMAIL}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reactivate user' }).click();
    await page.getByText(`${BOT_EMAIL} was reactivated`).waitFor();
    await botRow.getByText('deactivated', { exact: true }).waitFor({ state: 'detached' });
    await botRow.getByRole('button', { name: `Deactivate ${BOT_EMAIL}` }).waitFor();

    // Responsive: the access page at phone width still works and passes axe.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/console/projects/${projectId}/settings/access`);
    await page.getByRole('table', { name: 'Users' }).getByRole('rowheader', { name: new RegExp(BOT_EMAIL) }).waitFor();
    await checkPage('access-mobile');

    expect(problems).toEqual([]);
    console.log(`console e2e: ${Object.keys(axeReports).length} pages checked with axe (minor/moderate findings per page: ${JSON.stringify(axeReports)}), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 90_000);
});
