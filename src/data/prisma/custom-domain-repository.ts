import type {
  CustomDomainRecord,
  CustomDomainRepository,
  NewCustomDomain,
} from '../../domain/ports/custom-domains.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import type { Prisma, PrismaExecutor } from './prisma-client.js';

type CustomDomainRow = Prisma.CustomDomainGetPayload<object>;

const toRecord = (row: CustomDomainRow): CustomDomainRecord => ({
  id: row.id,
  organizationId: row.organizationId,
  host: row.host,
  verificationToken: row.verificationToken,
  verifiedAt: row.verifiedAt,
  createdAt: row.createdAt,
});

export function createCustomDomainRepository(db: PrismaExecutor): CustomDomainRepository {
  return {
    async listFor(organizationId) {
      const rows = await db.customDomain.findMany({ where: { organizationId }, orderBy: { host: 'asc' } });
      return rows.map(toRecord);
    },
    async find(id) {
      const row = await db.customDomain.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async findByHost(host) {
      const row = await db.customDomain.findUnique({ where: { host } });
      return row ? toRecord(row) : undefined;
    },
    async create(domain: NewCustomDomain) {
      // One row per host whichever organization holds it: a host serves exactly one brand.
      const row = await translateConstraints(db.customDomain.create({ data: domain }), [
        {
          kind: 'unique',
          error: conflict(`${domain.host} is already a custom domain`, 'custom_domain_taken'),
        },
      ]);
      return toRecord(row);
    },
    async setVerifiedAt(id, verifiedAt) {
      const row = await requireFound(
        db.customDomain.update({ where: { id }, data: { verifiedAt } }),
        `custom domain ${id}`,
      );
      return toRecord(row);
    },
    async delete(id) {
      await db.customDomain.deleteMany({ where: { id } });
    },
  };
}
