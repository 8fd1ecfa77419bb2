/**
 * Every vendor-specific string lives here; nothing else in the server names the product.
 * `pier` is the default; `platformsh` lets scripts written for Platform.sh docs run unchanged.
 */
export interface VendorProfile {
  readonly id: 'pier' | 'platformsh';
  readonly productName: string;
  readonly cliCommand: string;
  readonly cliEnvPrefix: string;
  readonly runtimeEnvPrefix: string;
  readonly projectConfigDir: string;
  readonly apiTokenPrefix: string;
  readonly oauth2ClientIds: readonly string[];
  /**
   * The `vendor` of every project. Platform.sh clients drop projects whose vendor does not match
   * their filter (the `platform` CLI v4.30 keeps `upsun`; `platformsh` keeps `upsun` too).
   */
  readonly projectVendor: string;
  /** The one organization an instance has: its machine name and label. */
  readonly organization: { readonly name: string; readonly label: string };
}

const profiles: Record<VendorProfile['id'], VendorProfile> = {
  pier: {
    id: 'pier',
    productName: 'Pier',
    cliCommand: 'pier',
    cliEnvPrefix: 'PIER_CLI_',
    runtimeEnvPrefix: 'PIER_',
    projectConfigDir: '.pier',
    apiTokenPrefix: 'pier_',
    oauth2ClientIds: ['pier-cli', 'pier-console'],
    projectVendor: 'pier',
    organization: { name: 'pier', label: 'Pier' },
  },
  platformsh: {
    id: 'platformsh',
    productName: 'Platform.sh',
    cliCommand: 'platform',
    cliEnvPrefix: 'PLATFORMSH_CLI_',
    runtimeEnvPrefix: 'PLATFORM_',
    projectConfigDir: '.platform',
    apiTokenPrefix: 'pier_',
    oauth2ClientIds: ['platform-cli', 'platform-api-user', 'pier-cli', 'pier-console'],
    projectVendor: 'upsun',
    organization: { name: 'pier', label: 'Pier' },
  },
};

export const vendorProfileIds = Object.keys(profiles) as VendorProfile['id'][];

export function vendorProfile(id: VendorProfile['id']): VendorProfile {
  return profiles[id];
}
