import type { Actor } from '../ports/tenancy.js';

/**
 * Who is administering, and over what. An environment principal manages everything; an
 * organization principal (a delegated admin) manages one organization and its sub-organizations,
 * and everything outside that subtree behaves as if it did not exist.
 */
export type AdminScope = { kind: 'environment' } | { kind: 'organization'; organizationId: string };

export interface AdminPrincipal {
  actor: Actor;
  scope: AdminScope;
}

export const ENVIRONMENT_SCOPE: AdminScope = { kind: 'environment' };
