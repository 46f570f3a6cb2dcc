import { digestBearerToken, newBearerToken } from '../../lib/crypto/bearer-token.js';
import { z } from 'zod';
import { newId } from '../../lib/ids.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { ApiKeyAccess, ApiKeyRecord, PageRequest } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { recordChange, visibleIds, visibleOrganization, withinScope } from './tenancy-scope.js';

/** read_only: the key may read (GET) what its scope covers and change nothing. */
export const API_KEY_ACCESS = ['read_write', 'read_only'] as const satisfies readonly ApiKeyAccess[];

export const apiKeyCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Id or slug: the key manages that organization and its sub-organizations only. */
    organization: z.string().min(1).optional(),
    expires_in_days: z.number().int().min(1).max(3650).optional(),
    access: z.enum(API_KEY_ACCESS).default('read_write'),
  })
  .strict();
// The input side: callers in code may leave out what has a default.
export type ApiKeyCreate = z.input<typeof apiKeyCreateSchema>;

const KEY_PREFIX = 'gh_';
/** A key is `gh_` + 256 random bits; only its SHA-256 is stored (bearer-token.ts). */
export const hashApiKey = digestBearerToken;

/** The key without its secret: what lists, audit records and responses other than creation show. */
export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash'>;
const view = ({ secretHash: _hidden, ...rest }: ApiKeyRecord): ApiKeyView => rest;

/** The key if the principal may see it: a delegated admin sees the keys of its subtree only. */
async function visibleKey(repos: Repositories, principal: AdminPrincipal, id: string): Promise<ApiKeyRecord> {
  const key = await repos.apiKeys.find(id);
  const ids = await visibleIds(repos, principal);
  if (!key || !withinScope(ids, key.organizationId)) throw new NotFoundError(`api key ${id}`);
  return key;
}

export function createApiKeys(db: Database, now: () => Date = () => new Date()) {
  return {
    /** Returns the key once; it cannot be read back later. */
    create(principal: AdminPrincipal, input: ApiKeyCreate): Promise<{ key: string; record: ApiKeyView }> {
      return db.transaction(async (repos) => {
        const organization = input.organization
          ? await visibleOrganization(repos, principal, input.organization)
          : undefined;
        if (!organization && principal.scope.kind === 'organization') {
          throw new ForbiddenError('a delegated admin can only create keys for its organization');
        }
        const key = newBearerToken(KEY_PREFIX);
        const record = await repos.apiKeys.create({
          id: newId('key'),
          name: input.name,
          secretHash: hashApiKey(key),
          organizationId: organization?.id ?? null,
          access: input.access ?? 'read_write',
          createdBy: `${principal.actor.type}:${principal.actor.id}`,
          expiresAt: input.expires_in_days
            ? new Date(now().getTime() + input.expires_in_days * 86_400_000)
            : null,
        });
        await recordChange(repos, principal.actor, {
          organizationId: record.organizationId,
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: record.id,
          before: null,
          after: view(record),
        });
        return { key, record: view(record) };
      });
    },

    async list(principal: AdminPrincipal, page: PageRequest): Promise<ApiKeyView[]> {
      const ids = await visibleIds(db, principal);
      return (await db.apiKeys.list({ organizationIds: ids }, page)).map(view);
    },

    get: async (principal: AdminPrincipal, id: string) => view(await visibleKey(db, principal, id)),

    revoke(principal: AdminPrincipal, id: string): Promise<void> {
      return db.transaction(async (repos) => {
        const before = await visibleKey(repos, principal, id);
        if (before.revokedAt) return;
        await repos.apiKeys.revoke(id, now());
        await recordChange(repos, principal.actor, {
          organizationId: before.organizationId,
          action: 'api_key.revoke',
          targetType: 'api_key',
          targetId: id,
          before: view(before),
          after: { ...view(before), revokedAt: now() },
        });
      });
    },

    /** The principal a presented key stands for; undefined for unknown, revoked or expired keys. */
    async authenticate(key: string): Promise<AdminPrincipal | undefined> {
      if (!key.startsWith(KEY_PREFIX)) return undefined;
      // Lookup by hash: the comparison happens on a digest the caller cannot steer, so no timing leak.
      const record = await db.apiKeys.findByHash(hashApiKey(key));
      if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now())) return undefined;
      // Last use is kept to the minute: one write per key per minute, not one per request.
      if (!record.lastUsedAt || now().getTime() - record.lastUsedAt.getTime() > 60_000) {
        void db.apiKeys.touch(record.id, now()).catch(() => {});
      }
      return {
        actor: { type: 'api_key', id: record.id },
        scope: record.organizationId
          ? { kind: 'organization', organizationId: record.organizationId }
          : { kind: 'environment' },
        ...(record.access === 'read_only' ? { readOnly: true } : {}),
      };
    },
  };
}
export type ApiKeys = ReturnType<typeof createApiKeys>;
