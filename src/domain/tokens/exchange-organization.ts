import { checkPartnerExchange, type PartnerExchangeContext } from '../federations/partner-exchange.js';
import type { OrganizationAccess, TenantAccess } from '../organizations/organization-access.js';
import { checkSubjectStanding, checkSwitchTarget } from './token-exchange-policy.js';

/** What the subject token says about its organization. */
export interface SubjectOrganization {
  /** The organization the subject token speaks for (its `org_id`); undefined: none. */
  organizationId?: string | undefined;
  /** The standing already read for it (an opaque token's grant binding), to skip a second read. */
  access?: TenantAccess | undefined;
}

/**
 * The organization an exchanged token speaks for, read fresh from the database (one round trip):
 * the subject's own by default, or the one named by `organization` (id or slug) when the user is
 * an active member of it. Returns undefined for a token with no organization. The issued claims
 * are exactly those of the returned access, so roles held in another organization never travel
 * with a switch. A switch reads only the target: the subject token proves who the user is, and
 * nothing of its own organization is carried over, so a membership that ended there does not
 * matter to a token for an organization the user still belongs to.
 */
export async function exchangeOrganization(
  tenancy: Pick<OrganizationAccess, 'forUser'>,
  request: {
    userId: string;
    subject: SubjectOrganization;
    organization?: string | undefined;
    /** The caller's address and the subject token's `amr`: a partner's trust rule may limit both. */
    partner?: PartnerExchangeContext;
  },
): Promise<TenantAccess | undefined> {
  const { userId, subject, organization } = request;
  const partner = request.partner ?? {};
  if (organization !== undefined) {
    return checkPartnerExchange(
      checkSwitchTarget(await tenancy.forUser(organization, userId)),
      partner,
      true,
    );
  }
  if (subject.access) return checkPartnerExchange(checkSubjectStanding(subject.access), partner, false);
  if (subject.organizationId === undefined) return undefined;
  const standing = checkSubjectStanding(await tenancy.forUser(subject.organizationId, userId));
  return checkPartnerExchange(standing, partner, false);
}
