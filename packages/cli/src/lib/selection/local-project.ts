import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { findGitRoot, readGitCheckout, type GitCheckout } from '../git-checkout.js';
import type { CliVendorProfile } from '../vendor-profile.js';
import { projectIdFromGitRemote } from './git-remote.js';

/** The project a local checkout belongs to, and how the CLI found out. */
export interface LocalProject {
  projectId: string;
  /** For -v output: which file or remote named the project. */
  source: string;
  /** Branch → environment id, from `mapping:` in project.yaml. */
  mapping: Readonly<Record<string, string>>;
  /** The checkout itself, read on first use (only environment detection needs the branch). */
  checkout(): Promise<GitCheckout>;
}

/**
 * The project of the checkout around `cwd`: `<config dir>/local/project.yaml` in `cwd` or a
 * folder above it up to the git root, else a platform git remote (`pier`/`platform`, then
 * `origin`). Outside a git checkout there is no local project.
 */
export async function findLocalProject(profile: CliVendorProfile, cwd: string): Promise<LocalProject | undefined> {
  const root = findGitRoot(cwd);
  if (!root) return undefined;
  let checkout: Promise<GitCheckout> | undefined;
  const readCheckout = () => (checkout ??= readGitCheckout(root));

  const configFile = findProjectConfig(profile, cwd, root);
  if (configFile) {
    const config = await readProjectConfig(configFile);
    return { projectId: config.id, source: configFile, mapping: config.mapping, checkout: readCheckout };
  }
  const { remotes } = await readCheckout();
  for (const remoteName of [profile.gitRemoteName, 'origin']) {
    const url = remotes.get(remoteName);
    const projectId = url ? projectIdFromGitRemote(url, profile.command) : undefined;
    if (projectId) return { projectId, source: `git remote ${remoteName} (${url})`, mapping: {}, checkout: readCheckout };
  }
  return undefined;
}

function findProjectConfig(profile: CliVendorProfile, cwd: string, root: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, profile.projectConfigDirName, 'local', 'project.yaml');
    if (fs.existsSync(file)) return file;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

async function readProjectConfig(file: string): Promise<{ id: string; mapping: Record<string, string> }> {
  const { parse } = await import('yaml');
  let parsed: unknown;
  try {
    parsed = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('generic', `Invalid project config file ${file}: ${(error as Error).message}`);
  }
  const config = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { id?: unknown; mapping?: unknown };
  if (typeof config.id !== 'string' || config.id === '') {
    throw new CliError('generic', `Invalid project config file ${file}: it must set "id" to the project ID.`);
  }
  const mapping: Record<string, string> = {};
  if (typeof config.mapping === 'object' && config.mapping !== null) {
    for (const [branch, environment] of Object.entries(config.mapping)) if (typeof environment === 'string') mapping[branch] = environment;
  }
  return { id: config.id, mapping };
}
