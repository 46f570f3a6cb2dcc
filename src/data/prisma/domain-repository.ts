import { NotFoundError } from '../../domain/errors.js';
import type {
  DomainRecord,
  DomainRepository,
  DomainVerificationMethod,
  NewDomain,
} from '../../domain/ports/tenancy.js';
import { conflict, translateConstraints } from './constraint-errors.js';
import type { ConstraintRule } from './constraint-errors.js';
import type { DomainRow, PrismaExecutor } from './prisma-client.js';

const METHODS: readonly DomainVerificationMethod[] = ['dns', 'operator'];

function toMethod(value: string | null): DomainVerificationMethod | null {
  if (value === null) return null;
  if (!(METHODS as readonly string[]).includes(value)) {
    throw new Error(`domain has unknown verification method "${value}"`);
  }
  return value as DomainVerificationMethod;
}

function toRecord(row: DomainRow): DomainRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    domain: row.domain,
    verificationToken: row.verificationToken,
    verifiedAt: row.verifiedAt,
    verificationMethod: toMethod(row.verificationMethod),
    lastCheckedAt: row.lastCheckedAt,
    managedBy: row.managedBy,
    createdAt: row.createdAt,
  };
}

/** A domain as a plain SQL read returns it (column names as stored). */
export interface RawDomainRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  domain: string;
  verification_token: string;
  verified_at: Date | null;
  verification_method: string | null;
  verified_domain: string | null;
  last_checked_at: Date | null;
  managed_by: string | null;
  created_at: Date;
}

export const fromRaw = (row: RawDomainRow): DomainRecord =>
  toRecord({
    id: row.id,
    organizationId: row.organization_id,
    domain: row.domain,
    verificationToken: row.verification_token,
    verifiedAt: row.verified_at,
    verificationMethod: row.verification_method,
    verifiedDomain: row.verified_domain,
    lastCheckedAt: row.last_checked_at,
    managedBy: row.managed_by,
    createdAt: row.created_at,
  });

/** At most one organization holds a verified claim: the unique `verified_domain` column says who. */
const domainTaken = (domain: string): ConstraintRule => ({
  kind: 'unique',
  constraint: 'domains_verified_domain_key',
  error: conflict(`${domain} is already verified by another organization`, 'domain_taken'),
});

export function createDomainRepository(db: PrismaExecutor): DomainRepository {
  return {
    async listFor(organizationId) {
      const rows = await db.domain.findMany({ where: { organizationId }, orderBy: { domain: 'asc' } });
      return rows.map(toRecord);
    },
    async find(organizationId, domain) {
      const row = await db.domain.findUnique({
        where: { organizationId_domain: { organizationId, domain } },
      });
      return row ? toRecord(row) : undefined;
    },
    async findVerified(domain) {
      const row = await db.domain.findUnique({ where: { verifiedDomain: domain } });
      return row ? toRecord(row) : undefined;
    },
    async findVerifiedAmong(domains) {
      if (domains.length === 0) return [];
      const rows = await db.domain.findMany({
        where: { verifiedDomain: { in: [...domains] } },
        orderBy: { domain: 'asc' },
      });
      return rows.map(toRecord);
    },
    async create(domain: NewDomain) {
      const row = await translateConstraints(
        db.domain.create({
          data: { ...domain, verifiedDomain: domain.verifiedAt === null ? null : domain.domain },
        }),
        [
          domainTaken(domain.domain),
          {
            kind: 'unique',
            constraint: 'domains_organization_id_domain_key',
            error: conflict(`${domain.domain} is already claimed by this organization`, 'domain_exists'),
          },
        ],
      );
      return toRecord(row);
    },
    async update(id, changes) {
      // The domain string never changes, so reading it first cannot race with the update.
      const current = await db.domain.findUnique({ where: { id }, select: { domain: true } });
      if (!current) throw new NotFoundError(`domain ${id}`);
      const verifiedDomain =
        changes.verifiedAt === undefined ? undefined : changes.verifiedAt === null ? null : current.domain;
      const row = await translateConstraints(
        db.domain.update({
          where: { id },
          data: {
            verifiedAt: changes.verifiedAt,
            verifiedDomain,
            verificationMethod: changes.verificationMethod,
            lastCheckedAt: changes.lastCheckedAt,
            managedBy: changes.managedBy,
            verificationToken: changes.verificationToken,
          },
        }),
        [domainTaken(current.domain)],
      );
      return toRecord(row);
    },
    async delete(id) {
      await db.domain.deleteMany({ where: { id } });
    },
  };
}
