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
 * The organization an exchanged token speaks for, read fresh from the database: the subject's own
 * by default, or the one named by `organization` (id or slug) when the user is an active member
 * of it. Returns undefined for a token with no organization. The issued claims are exactly those
 * of the returned access, so roles held in another organization never travel with the switch.
 */
export async function exchangeOrganization(
  tenancy: Pick<OrganizationAccess, 'forUser' | 'findOrganization'>,
  request: { userId: string; subject: SubjectOrganization; organization?: string | undefined },
): Promise<TenantAccess | undefined> {
  const { userId, subject, organization } = request;
  const subjectId = subject.access?.organizationId ?? subject.organizationId;
  const readSubject = async () =>
    subjectId === undefined
      ? undefined
      : checkSubjectStanding(subject.access ?? (await tenancy.forUser(subjectId, userId)));
  // Both reads at once: the subject's standing and the target's are independent.
  const [subjectAccess, target] = await Promise.all([
    readSubject(),
    organization === undefined ? undefined : readTarget(tenancy, organization, userId, subjectId),
  ]);
  return target === undefined || target === 'subject'
    ? subjectAccess
    : checkSwitchTarget(target ?? undefined);
}

/** The user's standing in the named organization; 'subject' when it is the subject's own; null when unknown. */
async function readTarget(
  tenancy: Pick<OrganizationAccess, 'forUser' | 'findOrganization'>,
  reference: string,
  userId: string,
  subjectId: string | undefined,
): Promise<TenantAccess | 'subject' | null> {
  const found = await tenancy.findOrganization(reference);
  if (!found) return null;
  if (found.id === subjectId) return 'subject';
  return (await tenancy.forUser(found.id, userId)) ?? null;
}
