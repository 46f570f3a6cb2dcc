/** A host name an organization serves its branded sign-in entry from (login.customer.example). */
export interface CustomDomainRecord {
  id: string;
  organizationId: string;
  /** Lower-case ASCII (punycode), no port, no trailing dot. */
  host: string;
  /** The value to publish at `_gatehouse-challenge.<host>` (TXT). */
  verificationToken: string;
  verifiedAt: Date | null;
  createdAt: Date;
}
export type NewCustomDomain = Omit<CustomDomainRecord, 'createdAt'>;

export interface CustomDomainRepository {
  listFor(organizationId: string): Promise<CustomDomainRecord[]>;
  find(id: string): Promise<CustomDomainRecord | undefined>;
  findByHost(host: string): Promise<CustomDomainRecord | undefined>;
  /** Throws ConflictError `custom_domain_taken` when any organization has the host already. */
  create(domain: NewCustomDomain): Promise<CustomDomainRecord>;
  setVerifiedAt(id: string, verifiedAt: Date | null): Promise<CustomDomainRecord>;
  delete(id: string): Promise<void>;
}
