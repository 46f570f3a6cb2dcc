import { partnerVerdict, type PartnerSignIn } from '../federations/partner-selection.js';
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
  /** `stepUp`: a partner's rule asks for a second factor the session has not shown (domain/federations). */
  /** `homeOrganizationId`: set for a partner, the organization they are a member of (domain/federations). */
  | { kind: 'chosen'; organizationId: string | null; stepUp?: string; homeOrganizationId?: string }
  | { kind: 'pick'; choices: OrganizationChoice[] }
  /** `page`: the refusal is the organization's standing (frozen, ended, over quota): say it on a page. */
  | { kind: 'denied'; description: string; page?: boolean };

const NOT_A_MEMBER = 'You are not a member of the organization this application asked for.';
const DENIAL_TEXT: Record<AccessDenial, (name: string) => string> = {
  not_a_member: () => NOT_A_MEMBER,
  membership_inactive: (name) =>
    `Your access to ${name} is suspended or not yet approved. Ask its administrator.`,
  organization_suspended: (name) => `${name} is suspended. Ask its administrator.`,
  organization_frozen: (name) =>
    `${name} is temporarily frozen by the operator. Sign-in is paused; ask your administrator.`,
  organization_access_ended: (name) =>
    `${name}'s access to this service has ended. Ask your administrator to renew it.`,
  organization_deleted: () => NOT_A_MEMBER,
  // Partner standings are worded by domain/federations/partner-selection.ts, never from here.
  partner_suspended: () => NOT_A_MEMBER,
  partner_ended: () => NOT_A_MEMBER,
};
/** Denials that are about the organization's contract or the kill switch: shown on a page of their own. */
const PAGE_DENIALS: readonly AccessDenial[] = ['organization_frozen', 'organization_access_ended'];

/**
 * Whether one more user may sign in to the organization now (the plan's monthly-active-user
 * quota); the refusal's words when not. See domain/entitlements/sign-in-admission.ts.
 */
export type SignInAdmission = (organizationId: string, userId: string) => Promise<string | undefined>;

/**
 * Decides the organization of a sign-in. An application may ask for one (`organization`
 * parameter, id or slug); otherwise a user with one organization gets it, a user with several
 * picks, and a user with none may auto-join the organization that verified their email domain.
 * Whether an organization exists is never revealed to someone who is not in it.
 */
export function createOrganizationSelection(
  db: Database,
  access: OrganizationAccess,
  admit: SignInAdmission = async () => undefined,
) {
  // Only a member learns why (suspended organization, inactive membership); anyone else gets the
  // words an unknown organization gets, so a suspension does not reveal that the name exists.
  const denialText = async (user: UserRecord, standing: TenantAccess, denied: AccessDenial) => {
    const member = await db.memberships.find(user.id, standing.organizationId);
    const organization = member && (await db.organizations.find(standing.organizationId));
    return organization ? DENIAL_TEXT[denied](organization.name) : NOT_A_MEMBER;
  };
  const refused = async (user: UserRecord, standing: TenantAccess): Promise<OrganizationSelection> => {
    const denied = standing.denied!;
    const description = await denialText(user, standing, denied);
    return {
      kind: 'denied',
      description,
      page: PAGE_DENIALS.includes(denied) && description !== NOT_A_MEMBER,
    };
  };
  const chosen = async (user: UserRecord, organizationId: string): Promise<OrganizationSelection> => {
    const quota = await admit(organizationId, user.id);
    return quota ? { kind: 'denied', description: quota, page: true } : { kind: 'chosen', organizationId };
  };
  /** A partner (not a member) asking for a federated organization: its trust rule decides. */
  const asPartner = async (
    user: UserRecord,
    standing: TenantAccess,
    signIn: PartnerSignIn | undefined,
  ): Promise<OrganizationSelection> => {
    const verdict = await partnerVerdict(db.organizations, standing, signIn);
    if (verdict.kind === 'refused') return { kind: 'denied', description: verdict.description, page: true };
    const selection = await chosen(user, standing.organizationId);
    if (selection.kind !== 'chosen') return selection;
    const partner = { ...selection, homeOrganizationId: standing.partner!.homeOrganizationId };
    return verdict.kind === 'step_up' ? { ...partner, stepUp: verdict.description } : partner;
  };
  return async (
    user: UserRecord,
    requested: string | undefined,
    signIn?: PartnerSignIn,
  ): Promise<OrganizationSelection> => {
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
      if (standing.partner) return asPartner(user, standing, signIn);
      if (standing.denied) return refused(user, standing);
      return chosen(user, standing.organizationId);
    }
    const choices = await access.choicesFor(user.id);
    if (choices.length === 1) {
      // Choices leave suspended organizations out, not frozen or ended ones: those say why.
      const standing = await access.forUser(choices[0]!.id, user.id);
      if (standing?.denied) return refused(user, standing);
      return chosen(user, choices[0]!.id);
    }
    if (choices.length > 1) return { kind: 'pick', choices };
    const home = await organizationForEmail(db, user.email);
    if (home?.status === 'active' && (await access.autoJoin(home, user))) {
      const standing = await access.forUser(home.id, user.id);
      if (standing && !standing.denied) return chosen(user, home.id);
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
