/**
 * How each connection is doing: the last sign-ins through it, the last test, its metadata
 * refresh and the certificate warnings already sent. One row per connection, written by small
 * upserts on the sign-in path; data/ implements it on Prisma. Never a token or an assertion.
 */

/** Days-before-expiry warnings already sent, per certificate (SHA-256 fingerprint, hex). */
export type CertificateWarningsSent = Record<string, number[]>;

/** What the last sign-in or test received, for the mapping preview. */
export interface ReceivedAttributes {
  source: 'test' | 'sign_in';
  protocol: 'oidc' | 'saml';
  subject: string;
  /** Claims (OIDC) or attributes (SAML) under their upstream names. */
  claims: Record<string, unknown>;
  /** The email the protocol's usual place carried. */
  email?: string | undefined;
  /** A test only: the settings it ran with (settings-digest.ts), so activation can tell they are unchanged. */
  settingsDigest?: string | undefined;
}

export interface ConnectionHealthRecord {
  connectionId: string;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** Plain language, fit for the customer's administrator. */
  lastFailureReason: string | null;
  lastAttributes: ReceivedAttributes | null;
  lastAttributesAt: Date | null;
  lastTestedAt: Date | null;
  metadataRefreshedAt: Date | null;
  metadataRefreshError: string | null;
  certificateWarnings: CertificateWarningsSent;
  updatedAt: Date;
}

/** Members to set; absent ones keep their value (or their default on the first write). */
export type ConnectionHealthChanges = Partial<Omit<ConnectionHealthRecord, 'connectionId' | 'updatedAt'>>;

export interface ConnectionHealthRepository {
  find(connectionId: string): Promise<ConnectionHealthRecord | undefined>;
  findMany(connectionIds: readonly string[]): Promise<ConnectionHealthRecord[]>;
  /** One statement: creates the row or changes the given members. */
  upsert(connectionId: string, changes: ConnectionHealthChanges): Promise<void>;
}
