import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, runCli, tempDir, type CliResult, type RunOptions } from '../testing/run-cli.js';

const cli = useCliServer({ tokenName: 'projects' });
let env: Record<string, string | undefined>;
let projectId: string;

beforeAll(async () => {
  env = cli.adminEnv;
  const created = await runCli(['project:create', '--title', 'Shop, main site'], { env });
  expect(created.code).toBe(0);
  expect(created.stderr).toMatch(/^Created the project Shop, main site \([a-z0-9]{13}\), with the environment main\.\n$/);
  projectId = created.stdout.trim();
  expect((await runCli(['project:create', '--title', 'Blog'], { env })).code).toBe(0);
  const branched = await runCli(['environment:branch', 'feature/login', '-p', projectId, '--title', 'Login'], { env });
  expect(branched.code).toBe(0);
  expect(branched.stderr).toContain('Creating a new environment feature/login, branched from main');
});

async function pier(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(args, { env, ...options });
}

/** stdout of a command that must succeed quietly. */
async function data(args: string[], options: RunOptions = {}): Promise<string> {
  const result = await pier(args, options);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('project:list, project:info, project:create', () => {
  it('lists projects in every format, sorted by title', async () => {
    const table = await data(['projects']);
    expect(table.split('\n')[1]).toMatch(/^\| id +\| title +\| region +\|$/);
    expect(await data(['project:list', '--format', 'csv', '--columns', 'id,title'])).toBe(`id,title\n${await blogId()},Blog\n${projectId},"Shop, main site"\n`);
    expect(await data(['project:list', '--format', 'tsv', '--no-header', '--columns', 'title,status'])).toBe('Blog\tprovisioned\nShop, main site\tprovisioned\n');
    expect(await data(['project:list', '--format', 'plain', '--title', 'shop', '--columns', '+default_branch'])).toMatch(/^id\ttitle\tregion\tdefault_branch\n[a-z0-9]{13}\tShop, main site\t.*\tmain\n$/);
    const json = JSON.parse(await data(['project:list', '--format', 'json', '--reverse'])) as Record<string, unknown>[];
    expect(json.map((row) => row.title)).toEqual(['Shop, main site', 'Blog']);
    expect(await data(['project:list', '--pipe', '--title', 'shop'])).toBe(`${projectId}\n`);
  });

  it('project:info shows the properties, or one alone', async () => {
    expect(await data(['project:info', 'title', '-p', projectId])).toBe('Shop, main site\n');
    const info = JSON.parse(await data(['project:info', '-p', projectId, '--format', 'json'])) as Record<string, unknown>;
    expect(info).toMatchObject({ id: projectId, default_branch: 'main' });
    expect(info).not.toHaveProperty('_links');
  });

  it('project:create is for instance admins: exit 6 for others', async () => {
    await createUser(cli.server, 'plain@example.com');
    const result = await runCli(['project:create', '--title', 'Nope'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, 'plain@example.com', 'ci') }) });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('Permission denied:');
  });
});

describe('environment commands', () => {
  it('environment:list in every format; -I hides inactive ones', async () => {
    const table = await data(['environments', '-p', projectId]);
    expect(table.split('\n')[1]).toMatch(/^\| id +\| title +\| status +\| type +\|$/);
    const csv = await data(['environment:list', '-p', projectId, '--format', 'csv', '-c', 'id,type,parent']);
    expect(csv.split('\n').sort()).toEqual(['', 'feature/login,development,main', 'id,type,parent', 'main,production,']);
    expect(await data(['env', '-p', projectId, '--format', 'tsv', '--no-header', '-c', 'id,status'])).toContain('main\tactive\n');
    expect(await data(['environment:list', '-p', projectId, '--format', 'plain', '-c', 'id,created', '--date-fmt', 'Y'])).toMatch(/^id\tcreated\n(\S+\t\d{4}\n){2}$/);
    const json = JSON.parse(await data(['environment:list', '-p', projectId, '--format', 'json', '-c', 'id,machine_name'])) as Record<string, string>[];
    expect(json).toContainEqual({ id: 'feature/login', machine_name: expect.stringMatching(/^feature-login-/) });
    expect(await data(['environment:list', '-p', projectId, '--pipe', '--type', 'production'])).toBe('main\n');
  });

  it('environment:info finds an environment by branch name (slashes included) or machine name', async () => {
    expect(await data(['environment:info', 'title', '-p', projectId, '-e', 'feature/login'])).toBe('Login\n');
    const machineName = (await data(['environment:info', 'machine_name', '-p', projectId, '-e', 'feature/login'])).trim();
    expect(await data(['environment:info', 'id', '-p', projectId, '-e', machineName])).toBe('feature/login\n');
    expect(await data(['environment:info', 'id', '-p', projectId, '-e', '.'])).toBe('main\n');
    const missing = await pier(['environment:info', '-p', projectId, '-e', 'nope']);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('Specified environment not found: nope') });
  });

  it('environment:branch --type staging, then deactivate and activate with confirmations', async () => {
    const branched = await pier(['branch', 'sprint', 'main', '-p', projectId, '--type', 'staging']);
    expect(branched.code).toBe(0);
    expect(branched.stderr).toContain('The environment sprint (staging) has been created.');
    const deactivated = await pier(['environment:deactivate', 'sprint', '-p', projectId, '--yes']);
    expect(deactivated.code).toBe(0);
    expect(deactivated.stderr).toContain('Are you sure you want to deactivate the environment sprint? [Y/n] y\nDeactivating environment sprint\nThe environment sprint is now inactive.');
    expect(await data(['environment:list', '-p', projectId, '-I', '--pipe'])).not.toContain('sprint');
    const again = await pier(['environment:deactivate', 'sprint', '-p', projectId]);
    expect(again).toMatchObject({ code: 0, stderr: 'The environment sprint is already inactive.\n' });
    const activated = await pier(['environment:activate', '-p', projectId, '-e', 'sprint', '--no-interaction']);
    expect(activated.code).toBe(0);
    expect(activated.stderr).toContain('The environment sprint is now active.');
  });
});

describe('project and environment detection', () => {
  it(`reads PIER_PROJECT / PIER_BRANCH (PLATFORM_* for the platform binary); -p and -e win`, async () => {
    const runtime = { ...env, PIER_PROJECT: projectId, PIER_BRANCH: 'feature/login' };
    expect(await data(['environment:info', 'id'], { env: runtime })).toBe('feature/login\n');
    expect(await data(['environment:info', 'id', '-e', 'main'], { env: runtime })).toBe('main\n');
    expect(await data(['project:info', 'title', '-p', await blogId()], { env: runtime })).toBe('Blog\n');
    const platform = {
      HOME: tempDir(),
      PLATFORMSH_CLI_API_URL: cli.server.url,
      PLATFORMSH_CLI_TOKEN: env.PIER_CLI_TOKEN,
      // This server runs the pier profile, which knows only its own OAuth2 client.
      PLATFORMSH_CLI_OAUTH2_CLIENT_ID: 'pier-cli',
      PLATFORM_PROJECT: projectId,
      PLATFORM_BRANCH: 'main',
    };
    expect(await data(['environment:info', 'type'], { env: platform, binary: 'platform' })).toBe('production\n');
  });

  it('reads .pier/local/project.yaml between the working directory and the git root; the branch (or its mapping) is the environment', async () => {
    const checkout = gitCheckout('feature/login');
    fs.mkdirSync(path.join(checkout, '.pier/local'), { recursive: true });
    fs.writeFileSync(path.join(checkout, '.pier/local/project.yaml'), `id: ${projectId}\nmapping:\n  local-main: main\n`);
    const deep = path.join(checkout, 'src/app');
    fs.mkdirSync(deep, { recursive: true });
    expect(await data(['environment:info', 'id'], { cwd: deep })).toBe('feature/login\n');
    git(checkout, 'checkout', '-q', '-b', 'local-main');
    expect(await data(['environment:info', 'id'], { cwd: deep })).toBe('main\n');
    // A checkout's branch says nothing about another project.
    const other = await pier(['environment:info', 'id', '-p', await blogId()], { cwd: deep });
    expect(other).toMatchObject({ code: 1, stderr: expect.stringContaining('No environment specified.') });
  });

  it('reads the project from the git remote: <project>@<host>:<project>.git, remote "pier" then "origin"', async () => {
    const checkout = gitCheckout('main');
    git(checkout, 'remote', 'add', 'origin', `${projectId}@git.pier.example.com:${projectId}.git`);
    expect(await data(['user:list', '--format', 'plain', '--no-header', '-c', 'email'], { cwd: checkout })).toBe(`${ADMIN_EMAIL}\n`);
    expect(await data(['environment:info', 'type'], { cwd: checkout })).toBe('production\n');
    git(checkout, 'remote', 'add', 'pier', `ssh://${await blogId()}@git.pier.example.com:2222/${await blogId()}.git`);
    expect(await data(['project:info', 'title'], { cwd: checkout })).toBe('Blog\n');
  });

  it('says what to do when nothing names a project or an environment', async () => {
    const nowhere = await pier(['environment:list']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('Could not determine the current project.\n\nSpecify it using --project, or go to a project directory.');
    const unrelated = gitCheckout('main');
    git(unrelated, 'remote', 'add', 'origin', 'git@github.com:example/shop.git');
    expect((await pier(['project:info'], { cwd: unrelated })).stderr).toContain('Could not determine the current project.');
    const noEnvironment = await pier(['environment:info', '-p', projectId]);
    expect(noEnvironment.stderr).toContain('No environment specified.\nSpecify one using --environment (-e), or go to a project directory.');
  });
});

let blogIdCache: string | undefined;
async function blogId(): Promise<string> {
  blogIdCache ??= (await data(['project:list', '--pipe', '--title', 'blog'])).trim();
  return blogIdCache;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

/** A fresh repository with no commits, on the given branch. */
function gitCheckout(branch: string): string {
  const dir = tempDir('pier-checkout-');
  git(dir, 'init', '-q');
  git(dir, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
  return dir;
}
