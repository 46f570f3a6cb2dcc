/**
 * Risk-based sign-in (domain/risk): the assessments that explain each decision and are the
 * history later ones compare with, and where an address is on the map. data/ implements both.
 */

/** One reason a sign-in looks risky, and how much it weighs. */
export interface RiskSignal {
  name: string;
  points: number;
  /** Plain language for the operator (explain-login); never shown to the person signing in. */
  detail: string;
}

export type RiskDecision = 'allow' | 'mfa' | 'deny';
export type RiskOutcome = 'succeeded' | 'failed';

export interface RiskAssessmentRecord {
  id: string;
  organizationId: string | null;
  userId: string | null;
  ip: string;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  /** SHA-256 (hex) of the device cookie's value; never the value. */
  deviceHash: string | null;
  score: number;
  decision: RiskDecision;
  signals: RiskSignal[];
  outcome: RiskOutcome | null;
  createdAt: Date;
}
export type NewRiskAssessment = Omit<RiskAssessmentRecord, 'outcome'>;

export interface RiskAssessmentRepository {
  create(assessment: NewRiskAssessment): Promise<RiskAssessmentRecord>;
  /**
   * Keeps a sign-in's assessment and answers the organizations its user is a member of (whose
   * audit chains record it when the sign-in names none), in one round trip.
   */
  createListingMemberships(
    assessment: NewRiskAssessment,
  ): Promise<{ record: RiskAssessmentRecord; memberOf: string[] }>;
  find(id: string): Promise<RiskAssessmentRecord | undefined>;
  /** The user's assessments, newest first, at most `limit`. */
  recentForUser(userId: string, limit: number): Promise<RiskAssessmentRecord[]>;
  setOutcome(id: string, outcome: RiskOutcome): Promise<void>;
}

/** Where an address is, as far as an offline database knows. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  latitude?: number | undefined;
  longitude?: number | undefined;
}

/** Undefined for addresses the database has nothing on (private, documentation, unknown). */
export type GeoLookup = (ip: string) => GeoLocation | undefined;
