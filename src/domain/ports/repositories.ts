/** Durable records the domain reads and writes. data/ implements them on Prisma. */

export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  passwordHash: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewUser = Omit<UserRecord, 'createdAt' | 'updatedAt'>;

export interface UserRepository {
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  list(filter?: { managedBy?: string }): Promise<UserRecord[]>;
  create(user: NewUser): Promise<UserRecord>;
  update(id: string, changes: Partial<Omit<NewUser, 'id'>>): Promise<UserRecord>;
  delete(id: string): Promise<void>;
}

export interface ClientRecord {
  id: string;
  name: string | null;
  /** AES-256-GCM envelope (lib/crypto/envelope); null for public clients. */
  secretCiphertext: string | null;
  /** oidc-provider client metadata other than client_id and client_secret. */
  metadata: Record<string, unknown>;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewClient = Omit<ClientRecord, 'createdAt' | 'updatedAt'>;

export interface ClientRepository {
  find(id: string): Promise<ClientRecord | undefined>;
  list(filter?: { managedBy?: string }): Promise<ClientRecord[]>;
  upsert(client: NewClient): Promise<ClientRecord>;
  delete(id: string): Promise<void>;
}

export type SigningKeyState = 'next' | 'current' | 'previous' | 'retired';
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  state: SigningKeyState;
  publicJwk: Record<string, unknown>;
  /** AES-256-GCM envelope of the private JWK (JSON). */
  privateJwkCt: string;
  createdAt: Date;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
}

export interface SigningKeyRepository {
  list(states?: SigningKeyState[]): Promise<SigningKeyRecord[]>;
  insert(key: Omit<SigningKeyRecord, 'createdAt'>): Promise<void>;
  setState(kid: string, state: SigningKeyState, at: Date): Promise<void>;
}

export interface Repositories {
  users: UserRepository;
  clients: ClientRepository;
  signingKeys: SigningKeyRepository;
}

/** Runs `work` in one database transaction: all of it is written, or none. */
export interface Database extends Repositories {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Serializes work across processes (PostgreSQL advisory lock held for the transaction). */
  withLock<T>(name: string, work: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
