import type {
  ConnectionRecord,
  ConnectionRepository,
  ConnectionType,
  NewConnection,
} from '../../domain/ports/connections.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { Prisma, type ConnectionRow, type PrismaExecutor } from './prisma-client.js';

export function toRecord(row: ConnectionRow): ConnectionRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    key: row.key,
    type: row.type as ConnectionType,
    preset: row.preset,
    enabled: row.enabled,
    settings: fromJsonColumn(row.settings),
    attributeMap: fromJsonColumn(row.attributeMap) as Record<string, string>,
    secretCiphertext: row.secretCiphertext,
    upstreamMetadata: row.upstreamMetadata === null ? null : fromJsonColumn(row.upstreamMetadata),
    spCertificate: row.spCertificate,
    spKeyCiphertext: row.spKeyCiphertext,
    managedBy: row.managedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const json = (value: Record<string, unknown> | undefined) =>
  value === undefined ? undefined : toJsonColumn(value);

export function createConnectionRepository(db: PrismaExecutor): ConnectionRepository {
  return {
    async listFor(organizationId) {
      const rows = await db.connection.findMany({ where: { organizationId }, orderBy: { key: 'asc' } });
      return rows.map(toRecord);
    },
    async find(organizationId, key) {
      const row = await db.connection.findUnique({
        where: { organizationId_key: { organizationId, key } },
      });
      return row ? toRecord(row) : undefined;
    },
    async listByType(type) {
      const rows = await db.connection.findMany({ where: { type }, orderBy: { id: 'asc' } });
      return rows.map(toRecord);
    },
    async findById(id) {
      const row = await db.connection.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async create(connection: NewConnection) {
      const row = await translateConstraints(
        db.connection.create({
          data: {
            ...connection,
            settings: toJsonColumn(connection.settings),
            attributeMap: toJsonColumn(connection.attributeMap),
            upstreamMetadata: json(connection.upstreamMetadata ?? undefined),
          },
        }),
        [
          {
            kind: 'unique',
            constraint: 'connections_organization_id_key_key',
            error: conflict(
              `connection "${connection.key}" already exists in this organization`,
              'connection_exists',
            ),
          },
        ],
      );
      return toRecord(row);
    },
    async update(id, changes) {
      const data = {
        preset: changes.preset,
        enabled: changes.enabled,
        settings: json(changes.settings),
        attributeMap: json(changes.attributeMap),
        secretCiphertext: changes.secretCiphertext,
        upstreamMetadata: changes.upstreamMetadata === null ? Prisma.DbNull : json(changes.upstreamMetadata),
        spCertificate: changes.spCertificate,
        spKeyCiphertext: changes.spKeyCiphertext,
        managedBy: changes.managedBy,
      };
      return toRecord(await requireFound(db.connection.update({ where: { id }, data }), `connection ${id}`));
    },
    async delete(id) {
      // connection_health has no foreign key (its rows are written from the sign-in path, which
      // must never fail on a connection deleted meanwhile), so the connection takes its row along.
      await db.connectionHealth.deleteMany({ where: { connectionId: id } });
      await db.connection.deleteMany({ where: { id } });
    },
  };
}
