import type { Actor } from '../ports/tenancy.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';

/** What a portal visitor came to do: set up SSO, directory sync (SCIM), or prove domains. */
export const PORTAL_INTENTS = ['sso', 'dsync', 'domains'] as const;
export type PortalIntent = (typeof PORTAL_INTENTS)[number];

export const isPortalIntent = (value: unknown): value is PortalIntent =>
  typeof value === 'string' && (PORTAL_INTENTS as readonly string[]).includes(value);

/** Who is using the customer portal, for which organization, and which tasks they may open. */
export interface PortalPrincipal {
  organizationId: string;
  organizationSlug: string;
  organizationName: string;
  /** Setup link: only its intent; an organization admin signed in through OIDC: all three. */
  intents: readonly PortalIntent[];
  actor: { type: 'user' | 'setup_link'; id: string };
}

/**
 * The audit actor of a portal write: the signed-in user, or the setup link that opened the
 * session (`portal`), so a record names the very link an operator handed out.
 */
export const auditActorOf = (principal: PortalPrincipal): Actor =>
  principal.actor.type === 'user'
    ? { type: 'user', id: principal.actor.id }
    : { type: 'portal', id: principal.actor.id };

/**
 * The admin principal portal writes run as: confined to the principal's organization. Portal
 * routes always name that organization themselves (never one from the URL), so a link for one
 * organization cannot reach another's objects, which answer 404 like any unseen object.
 */
export const adminPrincipalOf = (principal: PortalPrincipal): AdminPrincipal => ({
  actor: auditActorOf(principal),
  scope: { kind: 'organization', organizationId: principal.organizationId },
});
