import type { GeoLocation, RiskAssessmentRecord } from '../ports/risk.js';

/** Everything the signals read about one sign-in: gathered first, so each signal is a pure function. */
export interface RiskInputs {
  now: Date;
  ip: string;
  /** SHA-256 of the device cookie (brought, or issued with this sign-in). */
  deviceHash: string | undefined;
  /** The browser brought no device cookie; it was given the one hashed above. */
  deviceCookieIssued?: boolean | undefined;
  location: GeoLocation | undefined;
  /** The user's earlier assessments, newest first (a bounded window). */
  history: readonly RiskAssessmentRecord[];
  /** Failed attempts now counted against the account and against the address (sign-in-throttle.ts). */
  failures: { account: number; address: number };
  /** The deployment's known-bad networks (RISK_KNOWN_BAD_IPS). */
  knownBadNetworks: readonly string[];
  /** The organization's network policy, when an organization is known. */
  network: NetworkPolicy;
}

/** Per-organization network rules (security policies `ip_allowlist`, `allowed_countries`). */
export interface NetworkPolicy {
  ipAllowlist?: readonly string[] | undefined;
  allowedCountries?: readonly string[] | undefined;
}

/** Earlier sign-ins that finished: the only ones that make a device or network familiar. */
export const succeededBefore = (history: readonly RiskAssessmentRecord[]) =>
  history.filter((record) => record.outcome === 'succeeded');
