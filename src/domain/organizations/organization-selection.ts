import type { Database, UserRecord } from '../ports/repositories.js';
import {
  organizationForEmail,
  type AccessDenial,
  type OrganizationAccess,
  type OrganizationChoice,
  type TenantAccess,
} from './organization-access.js';

/** What a sign-in does about the organization: use one (or none), let the user pick, or refuse. */
export type OrganizationSelection =
  | { kind: 'chosen'; organizationId: string | null }
  | { kind: 'pick'; choices: OrganizationChoice[] }
  | { kind: 'denied'; description: string };

const NOT_A_MEMBER = 'You are not a member of the organization this application asked for.';
const DENIAL_TEXT: Record<AccessDenial, (name: string) => string> = {
  not_a_member: () => NOT_A_MEMBER,
  membership_inactive: (name) =>
    `Your access to ${name} is suspended or not yet approved. Ask its administrator.`,
  organization_suspended: (name) => `${name} is suspended. Ask its administrator.`,
  organization_deleted: () => NOT_A_MEMBER,
};

/**
 * Decides the organization of a sign-in. An application may ask for one (`organization`
 * parameter, id or slug); otherwise a user with one organization gets it, a user with several
 * picks, and a user with none may auto-join the organization that verified their email domain.
 * Whether an organization exists is never revealed to someone who is not in it.
 */
export function createOrganizationSelection(db: Database, access: OrganizationAccess) {
  // Only a member learns why (suspended organization, inactive membership); anyone else gets the
  // words an unknown organization gets, so a suspension does not reveal that the name exists.
  const denialText = async (user: UserRecord, standing: TenantAccess, denied: AccessDenial) => {
    const member = await db.memberships.find(user.id, standing.organizationId);
    const organization = member && (await db.organizations.find(standing.organizationId));
    return organization ? DENIAL_TEXT[denied](organization.name) : NOT_A_MEMBER;
  };
  return async (user: UserRecord, requested: string | undefined): Promise<OrganizationSelection> => {
    if (requested) {
      // One read by id or slug; the organization row is fetched only when it is needed.
      let standing = await access.forUser(requested, user.id);
      if (standing?.denied === 'not_a_member') {
        const organization = await db.organizations.find(standing.organizationId);
        if (organization && (await access.autoJoin(organization, user))) {
          standing = await access.forUser(organization.id, user.id);
        }
      }
      if (!standing) return { kind: 'denied', description: NOT_A_MEMBER };
      if (standing.denied) {
        return { kind: 'denied', description: await denialText(user, standing, standing.denied) };
      }
      return { kind: 'chosen', organizationId: standing.organizationId };
    }
    const choices = await access.choicesFor(user.id);
    if (choices.length === 1) return { kind: 'chosen', organizationId: choices[0]!.id };
    if (choices.length > 1) return { kind: 'pick', choices };
    const home = await organizationForEmail(db, user.email);
    if (home?.status === 'active' && (await access.autoJoin(home, user))) {
      const standing = await access.forUser(home.id, user.id);
      if (standing && !standing.denied) return { kind: 'chosen', organizationId: home.id };
    }
    return { kind: 'chosen', organizationId: null };
  };
}
export type SelectOrganization = ReturnType<typeof createOrganizationSelection>;

/**
 * Domain policy at the password step: an organization that verified the email's domain may
 * require its SSO (`sso_required`) or refuse local passwords (`allow_local_passwords: false`).
 */
export async function localPasswordRefusal(db: Database, email: string): Promise<string | undefined> {
  const organization = await organizationForEmail(db, email);
  if (!organization) return undefined;
  const policy = organization.domainPolicy;
  if (policy.sso_required || policy.allow_local_passwords === false) {
    return `${organization.name} requires you to sign in with your organization's single sign-on, not a password.`;
  }
  return undefined;
}
