import type { Envelope } from '../../lib/crypto/envelope.js';
import type { PasswordHasher } from '../../lib/crypto/password.js';
import type { ValidClientDefinition } from '../clients/client-definition.js';
import type { Repositories } from '../ports/repositories.js';

/** Rows owned by the declarative file carry this marker; only they are ever deleted by apply. */
export const CONFIG_OWNER = 'config';

/** A local account as the file declares it; the email is already normalized. */
export interface DesiredUser {
  email: string;
  password?: string | undefined;
  /** argon2id PHC string, stored as is. */
  password_hash?: string | undefined;
  name?: string | undefined;
}

/** What the file says should exist (the validated file, whatever its source). */
export interface DesiredState {
  clients: ValidClientDefinition[];
  users: DesiredUser[];
}

export type PlanKind = 'client' | 'user';
export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One line of a plan. Carries field names only, never values: plans are printed and logged. */
export interface PlanEntry {
  kind: PlanKind;
  /** client_id or email. */
  id: string;
  action: PlanAction;
  /** Fields that change (`client_secret`, `password`, `managed_by` for a take-over, ...). */
  changes: string[];
}

/** A plan entry with the write that carries it out (absent when unchanged). */
export interface PlannedChange extends PlanEntry {
  /** Slow work that needs no database (password hashing), run concurrently before the writes. */
  prepare?: () => Promise<unknown>;
  write?: (repos: Repositories) => Promise<void>;
}

export interface ConfigDeps {
  envelope: Envelope;
  hasher: PasswordHasher;
}
