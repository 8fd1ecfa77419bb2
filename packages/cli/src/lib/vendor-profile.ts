/**
 * Every vendor-specific string the CLI prints or reads lives here. The same bundle serves `pier`
 * and `platform`; the bin file picks the profile, nothing else names the product.
 */
export type VendorProfileId = 'pier' | 'platformsh';

export interface CliVendorProfile {
  readonly id: VendorProfileId;
  readonly productName: string;
  /** The command users type. */
  readonly command: string;
  /** Prefix of every CLI setting in the environment: `<prefix>TOKEN`, `<prefix>API_URL`... */
  readonly envPrefix: string;
  /** Prefix of the variables an app container sets (`<prefix>PROJECT`, `<prefix>BRANCH`). */
  readonly runtimeEnvPrefix: string;
  /** Folder under HOME that holds config, credentials and caches. */
  readonly homeDirName: string;
  /** Name of the private temp folder used when HOME is missing or read-only. */
  readonly tempDirName: string;
  /** Folder at the root of a project checkout: `<dir>/local/project.yaml` names its project. */
  readonly projectConfigDirName: string;
  /** The git remote that points at the platform, tried before `origin`. */
  readonly gitRemoteName: string;
  readonly oauth2ClientId: string;
  readonly defaultApiUrl: string;
}

const profiles: Record<VendorProfileId, CliVendorProfile> = {
  pier: {
    id: 'pier',
    productName: 'Pier',
    command: 'pier',
    envPrefix: 'PIER_CLI_',
    runtimeEnvPrefix: 'PIER_',
    homeDirName: '.pier',
    tempDirName: 'pier-cli-tmp',
    projectConfigDirName: '.pier',
    gitRemoteName: 'pier',
    oauth2ClientId: 'pier-cli',
    defaultApiUrl: 'http://127.0.0.1:8080',
  },
  platformsh: {
    id: 'platformsh',
    productName: 'Platform.sh',
    command: 'platform',
    envPrefix: 'PLATFORMSH_CLI_',
    runtimeEnvPrefix: 'PLATFORM_',
    homeDirName: '.platformsh',
    tempDirName: 'platformsh-cli-tmp',
    projectConfigDirName: '.platform',
    gitRemoteName: 'platform',
    oauth2ClientId: 'platform-cli',
    defaultApiUrl: 'http://127.0.0.1:8080',
  },
};

export const vendorProfileIds = Object.keys(profiles) as VendorProfileId[];

export function vendorProfile(id: VendorProfileId): CliVendorProfile {
  return profiles[id];
}

/** The environment variable holding an API token, e.g. `PIER_CLI_TOKEN`. */
export function tokenVariable(profile: CliVendorProfile): string {
  return `${profile.envPrefix}TOKEN`;
}

/** The hint every "not logged in" message ends with. */
export function nonInteractiveAuthHelp(profile: CliVendorProfile): string {
  return `To authenticate non-interactively, configure an API token using the ${tokenVariable(profile)} environment variable.`;
}
