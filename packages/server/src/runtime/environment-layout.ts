import fs from 'node:fs';
import path from 'node:path';
import type { SandboxAccount } from '@pier/runtime';

/**
 * An environment's folder under the data directory. Everything but `data/` and the builds is
 * root's: the environment's account cannot rename `current`, swap a folder for a symlink or write
 * its own /etc/passwd. Its code only ever sees these folders through the sandbox's binds.
 *
 *   <root>/data/              the persistent data (/data in the sandbox; mounts point into it)
 *   <root>/builds/<commit>/   one build each (/app in the sandbox)
 *   <root>/current            → the deployed build
 *   <root>/etc/passwd, group  the account, as the sandbox shows it
 *   <root>/no-code/           an empty /app, before the first deploy
 */
export interface EnvironmentLayout {
  root: string;
  data: string;
  builds: string;
  current: string;
  identity: { passwd: string; group: string };
  noCode: string;
}

export function environmentLayout(dataDir: string, projectId: string, machineName: string): EnvironmentLayout {
  const root = path.join(dataDir, 'projects', projectId, 'environments', machineName);
  return {
    root,
    data: path.join(root, 'data'),
    builds: path.join(root, 'builds'),
    current: path.join(root, 'current'),
    identity: { passwd: path.join(root, 'etc', 'passwd'), group: path.join(root, 'etc', 'group') },
    noCode: path.join(root, 'no-code'),
  };
}

/** The deployed build's folder and commit, or undefined before the first deploy. */
export function deployedBuild(layout: EnvironmentLayout): { appDir: string; commit: string } | undefined {
  try {
    const appDir = fs.realpathSync(layout.current);
    return { appDir, commit: path.basename(appDir) };
  } catch {
    return undefined;
  }
}

/** The name code sees for its account, as on Platform.sh. */
export const SANDBOX_USER = 'web';

/**
 * Creates the folders with their owners and the account's passwd/group files; cheap when all is
 * in place. A data folder from before sandboxing (root's) is handed over to the account, without
 * following the symlinks it may hold.
 */
export function prepareEnvironmentFolders(layout: EnvironmentLayout, account: SandboxAccount, description: string): void {
  for (const dir of [layout.root, layout.builds, path.dirname(layout.identity.passwd), layout.noCode]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(layout.noCode, 0o755);
  fs.mkdirSync(layout.data, { recursive: true, mode: 0o700 });
  if (fs.lstatSync(layout.data).uid !== account.uid) handOver(layout.data, account);
  writeIfChanged(
    layout.identity.passwd,
    [`root:x:0:0:root:/root:/usr/sbin/nologin`, `${SANDBOX_USER}:x:${account.uid}:${account.gid}:${description.replace(/[:\n]/g, ' ')}:/app:/bin/bash`, `nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin`, ''].join('\n'),
  );
  writeIfChanged(layout.identity.group, [`root:x:0:`, `${SANDBOX_USER}:x:${account.gid}:`, `nogroup:x:65534:`, ''].join('\n'));
}

/** A new folder (a build, a work tree) for the account to fill. */
export function accountFolder(dir: string, account: SandboxAccount): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chownSync(dir, account.uid, account.gid);
  return dir;
}

function handOver(dir: string, account: SandboxAccount): void {
  fs.lchownSync(dir, account.uid, account.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) handOver(file, account);
    else fs.lchownSync(file, account.uid, account.gid);
  }
}

function writeIfChanged(file: string, content: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return;
  } catch {
    // not written yet
  }
  fs.writeFileSync(file, content, { mode: 0o644 });
}
