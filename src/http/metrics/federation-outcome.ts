import type { FederationOutcome } from '../../domain/ports/metrics.js';

/**
 * Failure codes of http/sso/upstream-sign-in.ts where the IdP is at fault rather than its answer:
 * it answered with an OAuth `error` (RFC 6749 §4.1.2.1), or it (its metadata) could not be used.
 */
const UPSTREAM_FAULTS = new Set(['upstream_error', 'connection_unavailable']);

/** How a failed upstream sign-in counts: the IdP's fault, or an answer that failed our checks. */
export const federationOutcomeOf = (code: string): FederationOutcome =>
  UPSTREAM_FAULTS.has(code) ? 'upstream_error' : 'rejected';
