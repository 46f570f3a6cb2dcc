/**
 * Each organization's upstream identity providers (enterprise SSO). data/ implements the
 * repository on Prisma; the settings are stored as written, the client secret only sealed.
 */

export type ConnectionType = 'oidc' | 'saml';

export interface ConnectionRecord {
  id: string;
  organizationId: string;
  /** The organization's own name for the connection (`azure`), unique within the organization. */
  key: string;
  type: ConnectionType;
  preset: string | null;
  enabled: boolean;
  /** Non-secret settings of the type (issuer, client_id, metadata URL, certificates, ...). */
  settings: Record<string, unknown>;
  /** Upstream claim or attribute name -> Gatehouse attribute name. */
  attributeMap: Record<string, string>;
  /** AES-256-GCM envelope (lib/crypto/envelope) of the OIDC client secret; null when none. */
  secretCiphertext: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewConnection = Omit<ConnectionRecord, 'createdAt' | 'updatedAt'>;
export type ConnectionChanges = Partial<
  Pick<
    ConnectionRecord,
    'preset' | 'enabled' | 'settings' | 'attributeMap' | 'secretCiphertext' | 'managedBy'
  >
>;

export interface ConnectionRepository {
  /** The organization's connections, ordered by key. */
  listFor(organizationId: string): Promise<ConnectionRecord[]>;
  find(organizationId: string, key: string): Promise<ConnectionRecord | undefined>;
  findById(id: string): Promise<ConnectionRecord | undefined>;
  /** Throws ConflictError `connection_exists` when the organization already has the key. */
  create(connection: NewConnection): Promise<ConnectionRecord>;
  update(id: string, changes: ConnectionChanges): Promise<ConnectionRecord>;
  delete(id: string): Promise<void>;
}
