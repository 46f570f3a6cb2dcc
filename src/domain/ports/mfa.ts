/**
 * What multi-factor authentication persists: each user's second factors (TOTP secrets, WebAuthn
 * credentials) and their single-use recovery codes. data/ implements both on Prisma.
 */

export type MfaFactorType = 'totp' | 'webauthn';

export interface MfaFactorRecord {
  id: string;
  userId: string;
  type: MfaFactorType;
  label: string | null;
  /** TOTP: the shared secret as an AES-256-GCM envelope (context `mfa-totp:<id>`). */
  secretCiphertext: string | null;
  /** WebAuthn: base64url credential id, unique across users. */
  credentialId: string | null;
  /** WebAuthn: COSE public key, base64url. */
  publicKey: string | null;
  signCount: number;
  transports: string[];
  backedUp: boolean;
  /** Null while the enrolment is unconfirmed (the first code or ceremony not yet seen). */
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** The caller picks the id (a TOTP secret is sealed with it before the row exists). */
export type NewMfaFactor = Pick<MfaFactorRecord, 'id' | 'userId' | 'type'> &
  Partial<
    Pick<
      MfaFactorRecord,
      | 'label'
      | 'secretCiphertext'
      | 'credentialId'
      | 'publicKey'
      | 'signCount'
      | 'transports'
      | 'backedUp'
      | 'confirmedAt'
    >
  >;

export interface MfaFactorRepository {
  /** The user's factors, oldest first. */
  listFor(userId: string): Promise<MfaFactorRecord[]>;
  find(id: string): Promise<MfaFactorRecord | undefined>;
  /** Throws ConflictError `credential_exists` when the WebAuthn credential id is registered already. */
  create(factor: NewMfaFactor): Promise<MfaFactorRecord>;
  /** Throws NotFoundError when the factor does not exist. */
  update(
    id: string,
    changes: Partial<
      Pick<MfaFactorRecord, 'label' | 'confirmedAt' | 'lastUsedAt' | 'signCount' | 'backedUp'>
    >,
  ): Promise<MfaFactorRecord>;
  /** Removing what is already gone is not an error. */
  delete(id: string): Promise<void>;
}

export interface RecoveryCodeRepository {
  /** Deletes every code of the user, used or not, and stores these instead. */
  replaceFor(userId: string, codeHashes: string[]): Promise<void>;
  /** atomic: marks one unused code used; false when none matched */
  consume(userId: string, codeHash: string, at: Date): Promise<boolean>;
  countUnused(userId: string): Promise<number>;
}
