import type {
  NewPortalSetupLink,
  PortalSetupLinkRecord,
  PortalSetupLinkRepository,
} from '../../domain/ports/portal.js';
import { isPortalIntent } from '../../domain/portal/portal-principal.js';
import type { PrismaExecutor } from './prisma-client.js';

type Row = Omit<PortalSetupLinkRecord, 'intent'> & { intent: string };

function toRecord(row: Row): PortalSetupLinkRecord {
  if (!isPortalIntent(row.intent)) throw new Error(`portal setup link ${row.id} has an unknown intent`);
  return { ...row, intent: row.intent };
}

export function createPortalSetupLinkRepository(db: PrismaExecutor): PortalSetupLinkRepository {
  return {
    async create(link: NewPortalSetupLink) {
      return toRecord(await db.portalSetupLink.create({ data: link }));
    },
    async findByTokenHash(tokenHash) {
      const row = await db.portalSetupLink.findUnique({ where: { tokenHash } });
      return row ? toRecord(row) : undefined;
    },
    async markUsed(id, at) {
      // One statement: `used_at IS NULL` in the WHERE makes two concurrent consumers race on the
      // row lock, and the loser's update matches nothing.
      const { count } = await db.portalSetupLink.updateMany({
        where: { id, usedAt: null, expiresAt: { gt: at } },
        data: { usedAt: at },
      });
      return count === 1;
    },
  };
}
