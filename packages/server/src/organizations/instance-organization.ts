import { createHmac } from 'node:crypto';
import type { UserStore } from '../users/store.js';
import type { VendorProfile } from '../vendor/profile.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Platform.sh puts every project in an organization, and its clients read one (`organization` on
 * the project, `/ref/organizations`, `GET /organizations/{id}` in `user:list`). A Pier instance
 * is one organization: its id is a ULID-shaped string derived from the instance secret, so every
 * node sharing that secret agrees on it without storing anything.
 */
export function instanceOrganizationId(instanceKey: Buffer): string {
  const digest = createHmac('sha256', instanceKey).update('pier instance organization v1').digest();
  // 26 base32 digits = 130 bits; the first digit is kept to 0-7 as in a ULID (48-bit time prefix).
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return String.fromCharCode(48 + (CROCKFORD.indexOf(id[0]!) & 7)) + id.slice(1);
}

export interface InstanceOrganization {
  id: string;
  type: 'flexible';
  name: string;
  label: string;
  vendor: string;
  /** The first instance admin: the organization's owner, as on Platform.sh (absent before there is one). */
  owner_id?: string;
  created_at: string;
  updated_at: string;
}

export async function loadInstanceOrganization(users: Pick<UserStore, 'firstAdmin'>, instanceKey: Buffer, vendor: VendorProfile): Promise<InstanceOrganization> {
  const owner = await users.firstAdmin();
  const since = owner?.created_at ?? new Date(0).toISOString();
  return {
    id: instanceOrganizationId(instanceKey),
    type: 'flexible',
    name: vendor.organization.name,
    label: vendor.organization.label,
    vendor: vendor.projectVendor,
    ...(owner ? { owner_id: owner.id } : {}),
    created_at: since,
    updated_at: since,
  };
}
