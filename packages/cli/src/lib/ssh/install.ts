import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { ensurePrivateDir, readFileIfExists, writePrivateFile } from '../private-files.js';
import { knownHostsText, type SshGateway } from './gateway.js';
import { environmentTargets, includeConfigText, userConfigBlock, withUserConfigBlock, type EnvironmentTarget } from './ssh-config.js';
import type { SshFiles } from './ssh-files.js';

/** Aliases for every environment of every project the caller can see (one listing per project). */
export async function listEnvironmentTargets(ctx: Context): Promise<EnvironmentTarget[]> {
  const api = ctx.api();
  const projects = expectData(await api.GET('/projects'), ctx.loginHelp());
  const perProject = await Promise.all(
    projects.map(async (project) => {
      const result = await api.GET('/projects/{projectId}/environments', { params: { path: { projectId: project.id } } });
      // A project that disappeared meanwhile just has no aliases.
      return result.data ? environmentTargets(ctx, project.id, project.default_branch, result.data) : [];
    }),
  );
  return perProject.flat();
}

/** known_hosts and the include file; each written whole under a temp name and renamed. */
export function writeSshConfig(ctx: Context, files: SshFiles, gateway: SshGateway, targets: EnvironmentTarget[]): void {
  writeIfChanged(files.knownHosts, knownHostsText(gateway));
  writeIfChanged(files.config, includeConfigText(ctx, files, gateway, targets));
}

function writeIfChanged(file: string, content: string): void {
  if (readFileIfExists(file) !== content) writePrivateFile(file, content);
}

/** `~/.ssh/config` as ssh reads it (HOME first, as ssh does), through a symlink if it is one. */
export function userConfigFile(ctx: Context): string {
  const file = path.join(ctx.env.HOME || os.homedir(), '.ssh', 'config');
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The new content of `~/.ssh/config`, or undefined when the managed block is already right. */
export function plannedUserConfig(ctx: Context, files: SshFiles, file: string): { content: string; exists: boolean } | undefined {
  const current = readFileIfExists(file);
  const content = withUserConfigBlock(current ?? '', userConfigBlock(ctx, files));
  return content === current ? undefined : { content, exists: current !== undefined };
}

/**
 * Writes `~/.ssh/config` with the block, keeping the rest as it was (re-read just before, under
 * the SSH lock, so concurrent runs do not lose each other's edits). 0600, as ssh requires.
 */
export function writeUserConfig(ctx: Context, files: SshFiles, file: string): void {
  const planned = plannedUserConfig(ctx, files, file);
  if (!planned) return;
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) ensurePrivateDir(dir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, planned.content, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
