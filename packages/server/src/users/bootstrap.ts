import type { Services } from '../services.js';
import { generatePassword } from './passwords.js';

export interface AdminBootstrap {
  email: string;
  created: boolean;
  /** Present only when the password was generated now; printed once, never logged. */
  generatedPassword?: string;
}

/** The first start creates an instance admin from PIER_ADMIN_EMAIL / PIER_ADMIN_PASSWORD. */
export async function ensureInstanceAdmin(services: Services): Promise<AdminBootstrap> {
  const { adminEmail, adminPassword } = services.config;
  if ((await services.users.countAdmins()) > 0) return { email: adminEmail, created: false };
  const password = adminPassword ?? generatePassword();
  const existing = await services.users.findByEmail(adminEmail);
  if (existing) return { email: existing.email, created: false };
  await services.users.create({ email: adminEmail, passwordHash: await services.passwords.hash(password), isAdmin: true, emailVerified: true });
  services.logger.info({ email: adminEmail }, 'created the instance admin');
  return adminPassword ? { email: adminEmail, created: true } : { email: adminEmail, created: true, generatedPassword: password };
}
