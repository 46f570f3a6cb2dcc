import type { Database } from '../ports/repositories.js';
import { organizationForEmail } from './organization-access.js';
import { effectivePolicies } from './security-policies.js';

/**
 * Magic Auth (an emailed code as the first factor) is on for an email when the active
 * organization that verified its domain has `magic_auth: true`, inherited like every policy. It
 * depends on the domain alone, never on whether the address has an account, so the answer reveals
 * nothing about who signs up.
 */
export async function magicAuthAllowed(db: Database, email: string): Promise<boolean> {
  const organization = await organizationForEmail(db, email);
  if (organization?.status !== 'active') return false;
  const { values } = effectivePolicies(await db.organizations.chain(organization.id));
  return values.magic_auth === true;
}
