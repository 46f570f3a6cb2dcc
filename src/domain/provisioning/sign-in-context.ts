import type { ConnectionRecord } from '../ports/connections.js';
import type { Database } from '../ports/repositories.js';
import type { Actor, OrganizationRecord } from '../ports/tenancy.js';
import { contractRefusal } from '../entitlements/sign-in-admission.js';
import { assertedEmail } from './asserted-email.js';
import { mapAttributes, type AttributeValue } from './attribute-mapping.js';
import { provisionedRoles, type ProvisionedRoles } from './provisioned-roles.js';
import { refuse, type Refused } from './sso-refusal.js';
import type { UpstreamIdentity } from './upstream-identity.js';

/** Everything an admitted SSO sign-in writes, decided before the transaction that writes it. */
export interface SignInContext {
  identity: UpstreamIdentity;
  connection: ConnectionRecord;
  organization: OrganizationRecord;
  /** Normalized, and under a domain the organization holds the most specific verified claim on. */
  email: string;
  /** The user's name from the mapping (or given + family name); undefined when the IdP sent none. */
  name: string | undefined;
  /** Profile fields other than email and name. */
  profile: Record<string, string>;
  /** Custom and profile attributes: what the role rules read, kept on the identity. */
  attributes: Record<string, AttributeValue>;
  roles: ProvisionedRoles;
  /** Audit records of the sign-in name the connection, not the user, as the one acting. */
  actor: Actor;
  at: Date;
  /** Things the operator should fix (a rule naming a deleted role, a rule set that no longer compiles). */
  warnings: string[];
}

/**
 * Reads and checks what decides a sign-in: the connection must exist and be enabled, its
 * organization and every ancestor active, the email present and owned by that organization.
 * Read outside the writing transaction: a setting that changes a moment later affects the next
 * sign-in, exactly as if it had changed a moment earlier.
 */
export async function signInContext(
  db: Database,
  identity: UpstreamIdentity,
  at: Date,
): Promise<SignInContext | Refused> {
  const connection = await db.connections.findById(identity.connectionId);
  if (!connection?.enabled || connection.type !== identity.protocol) return refuse('connection_unavailable');
  const chain = await db.organizations.chain(connection.organizationId);
  const [organization] = chain;
  if (!organization) return refuse('connection_unavailable');
  if (chain.some((org) => org.status !== 'active')) return refuse('organization_suspended');
  const contract = contractRefusal(chain, at);
  if (contract) return refuse(contract);

  const { profile, custom } = mapAttributes(identity.claims, connection.attributeMap);
  const checked = await assertedEmail(db, organization.id, {
    mapped: profile.email,
    protocol: identity.email,
    verified: identity.emailVerified,
  });
  if ('kind' in checked) return checked;

  const { email: _mapped, name, ...rest } = profile;
  const attributes = { ...custom, ...profile, email: checked.email };
  const warnings: string[] = [];
  return {
    identity,
    connection,
    organization,
    email: checked.email,
    name: name ?? ([rest.given_name, rest.family_name].filter(Boolean).join(' ') || undefined),
    profile: rest,
    attributes,
    roles: await provisionedRoles(db, chain, attributes, warnings),
    actor: { type: 'system', id: `sso:${connection.id}` },
    at,
    warnings,
  };
}
