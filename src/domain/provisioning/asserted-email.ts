import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { organizationForEmail } from '../organizations/organization-access.js';
import type { Database } from '../ports/repositories.js';
import { refuse, type Refused } from './sso-refusal.js';

/**
 * The email an SSO sign-in stands for, and whether the connection's organization may vouch for
 * it. An organization speaks for exactly the addresses under the domains it has verified, and
 * only where no other organization holds a more specific verified claim (an exact name beats
 * `*.corp.example.com`, which beats `*.example.com`; see domain-names.ts). So the IdP of
 * organization A can never create, or sign in as, a user of organization B: a signed assertion
 * is trusted for who the user is, not for which addresses the IdP may hand out.
 */
export async function assertedEmail(
  db: Database,
  organizationId: string,
  asserted: { mapped: string | undefined; protocol: string | undefined; verified: boolean | undefined },
): Promise<{ email: string } | Refused> {
  const raw = asserted.mapped ?? asserted.protocol;
  const email = raw === undefined ? '' : normalizeEmail(raw);
  if (!looksLikeEmail(email)) return refuse('email_missing');
  // OIDC Core §5.1: email_verified false means the IdP itself does not vouch for the address.
  if (asserted.verified === false) {
    return refuse(
      'email_domain_not_verified',
      'Your identity provider says your email address is not verified. Verify it there, then sign in again.',
    );
  }
  const owner = await organizationForEmail(db, email);
  if (owner?.id !== organizationId) return refuse('email_domain_not_verified');
  return { email };
}
