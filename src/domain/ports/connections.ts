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
  /** What the IdP last published (SAML metadata), written by the metadata refresh, not by admins. */
  upstreamMetadata: Record<string, unknown> | null;
  /** SAML: the connection's own SP certificate (PEM) and its sealed private key (`connection-sp-key:<id>`). */
  spCertificate: string | null;
  spKeyCiphertext: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
type Generated = 'upstreamMetadata' | 'spCertificate' | 'spKeyCiphertext';
export type NewConnection = Omit<ConnectionRecord, 'createdAt' | 'updatedAt' | Generated> &
  Partial<Pick<ConnectionRecord, Generated>>;
export type ConnectionChanges = Partial<
  Pick<
    ConnectionRecord,
    'preset' | 'enabled' | 'settings' | 'attributeMap' | 'secretCiphertext' | 'managedBy' | Generated
  >
>;

export interface ConnectionRepository {
  /** The organization's connections, ordered by key. */
  listFor(organizationId: string): Promise<ConnectionRecord[]>;
  find(organizationId: string, key: string): Promise<ConnectionRecord | undefined>;
  findById(id: string): Promise<ConnectionRecord | undefined>;
  /** Every connection of a type, across organizations (the SAML metadata refresh). */
  listByType(type: ConnectionType): Promise<ConnectionRecord[]>;
  /** Throws ConflictError `connection_exists` when the organization already has the key. */
  create(connection: NewConnection): Promise<ConnectionRecord>;
  update(id: string, changes: ConnectionChanges): Promise<ConnectionRecord>;
  delete(id: string): Promise<void>;
}
