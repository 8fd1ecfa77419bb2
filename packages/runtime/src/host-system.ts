import fs from 'node:fs';

/** The host's program folders, shown read-only; on merged-/usr systems `/bin` & co. are symlinks. */
const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * The few `/etc` files programs need to run, resolve names, check TLS certificates and find
 * Debian's alternatives. Everything else of `/etc` (shadow, ssh keys, npmrc...) stays out.
 */
const ETC_ENTRIES = [
  'alternatives',
  'bash.bashrc',
  'ca-certificates',
  'ca-certificates.conf',
  'gai.conf',
  'host.conf',
  'hosts',
  'inputrc',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'mime.types',
  'nsswitch.conf',
  'os-release',
  'profile',
  'protocols',
  'resolv.conf',
  'services',
  'ssl',
  'terminfo',
  'timezone',
];

export interface HostSystem {
  /** `--symlink`/`--ro-bind` arguments that rebuild the host's program folders. */
  readonly systemArgs: readonly string[];
  readonly etcEntries: readonly string[];
}

let detected: HostSystem | undefined;

/** Read once per process: the layout of a host does not change while Pier runs. */
export function hostSystem(): HostSystem {
  if (detected) return detected;
  const systemArgs: string[] = [];
  for (const folder of SYSTEM_FOLDERS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(folder);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) systemArgs.push('--symlink', fs.readlinkSync(folder), folder);
    else if (stat.isDirectory()) systemArgs.push('--ro-bind', folder, folder);
  }
  const etcEntries = ETC_ENTRIES.map((name) => `/etc/${name}`).filter((entry) => fs.existsSync(entry));
  detected = { systemArgs, etcEntries };
  return detected;
}
