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
  /** A read-only API key: it may read what its scope covers and change nothing. */
  readOnly?: boolean;
}

/** Whether the principal may do what an admin route needs: read, or write (change anything). */
export const principalMay = (principal: AdminPrincipal, permission: 'read' | 'write'): boolean =>
  permission === 'read' || principal.readOnly !== true;

export const ENVIRONMENT_SCOPE: AdminScope = { kind: 'environment' };
