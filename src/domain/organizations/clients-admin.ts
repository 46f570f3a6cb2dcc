import { randomBytes } from 'node:crypto';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { clientRecordFrom } from '../clients/client-catalog.js';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../errors.js';
import type { ClientRecord, Database, NewClient, Repositories } from '../ports/repositories.js';
import type { PageRequest } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { needsSecret, type ClientCreate, type ClientReplace } from './client-input.js';
import { clientView, definitionOf, type ClientView } from './client-view.js';
import { recordChange, visibleIds, visibleOrganization, withinScope } from './tenancy-scope.js';

/** The answer to a write that made a secret: the only time the secret is ever shown. */
export interface ClientWithSecret {
  client: ClientView;
  secret?: string | undefined;
}

// 384 bits: far above what RFC 6749 §10.10 asks, and 64 characters in base64url.
const newSecret = () => randomBytes(48).toString('base64url');

/** The client if the principal may see it; a delegated admin sees its subtree's clients only. */
async function visibleClient(
  repos: Repositories,
  principal: AdminPrincipal,
  id: string,
): Promise<ClientRecord> {
  const client = await repos.clients.find(id);
  const ids = await visibleIds(repos, principal);
  if (!client || !withinScope(ids, client.organizationId)) throw new NotFoundError(`client ${id}`);
  return client;
}

/** The owning organization's id; a delegated admin's clients always belong to its subtree. */
async function ownerId(repos: Repositories, principal: AdminPrincipal, ref: string | undefined) {
  if (ref) return (await visibleOrganization(repos, principal, ref)).id;
  if (principal.scope.kind === 'organization') {
    throw new ForbiddenError('a delegated admin can only manage clients that belong to its organizations');
  }
  return null;
}

/** Relying parties; every write is scoped to the principal and recorded (without secrets). */
export function createClientsAdmin(db: Database, envelope: Envelope) {
  const save = async (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    before: ClientRecord | null,
    next: NewClient,
  ): Promise<ClientView> => {
    // A create must not overwrite a client made concurrently with the same id.
    const after = clientView(await (before ? repos.clients.upsert(next) : repos.clients.create(next)));
    await recordChange(repos, principal.actor, {
      organizationId: after.organizationId ?? before?.organizationId ?? null,
      action,
      targetType: 'client',
      targetId: after.id,
      before: before && clientView(before),
      after,
    });
    return after;
  };
  const recordOf = (
    input: ClientReplace & { client_id: string },
    secret: string | undefined,
    owner: { organizationId: string | null; managedBy: string | null },
  ) => {
    const { organization: _organization, ...definition } = input;
    const client = { ...definition, client_secret: secret };
    return clientRecordFrom(client, envelope, owner.managedBy, owner.organizationId);
  };

  return {
    async list(principal: AdminPrincipal, page: PageRequest): Promise<ClientView[]> {
      const ids = await visibleIds(db, principal);
      return (await db.clients.page({ organizationIds: ids }, page)).map(clientView);
    },

    get: async (principal: AdminPrincipal, id: string) => clientView(await visibleClient(db, principal, id)),

    create(principal: AdminPrincipal, input: ClientCreate): Promise<ClientWithSecret> {
      return db.transaction(async (repos) => {
        const organizationId = await ownerId(repos, principal, input.organization);
        // Client ids are one namespace for the whole environment (they appear in every token);
        // the repository's create refuses a taken id.
        const secret = needsSecret(input) ? newSecret() : undefined;
        const next = recordOf(input, secret, { organizationId, managedBy: null });
        return { client: await save(repos, principal, 'client.create', null, next), secret };
      });
    },

    /** PUT: the body is the whole client. A confidential client keeps its secret; a new one gets one. */
    replace(principal: AdminPrincipal, id: string, input: ClientReplace): Promise<ClientWithSecret> {
      return db.transaction(async (repos) => {
        const before = await visibleClient(repos, principal, id);
        const organizationId = await ownerId(repos, principal, input.organization);
        const keep = needsSecret(input) && before.secretCiphertext !== null;
        const secret = needsSecret(input) && !keep ? newSecret() : undefined;
        const next = recordOf({ ...input, client_id: id }, secret, {
          organizationId,
          managedBy: before.managedBy,
        });
        if (keep) next.secretCiphertext = before.secretCiphertext;
        return { client: await save(repos, principal, 'client.replace', before, next), secret };
      });
    },

    /** A new secret replaces the old one at once: rotate when the old one may have leaked. */
    rotateSecret(principal: AdminPrincipal, id: string): Promise<Required<ClientWithSecret>> {
      return db.transaction(async (repos) => {
        const before = await visibleClient(repos, principal, id);
        const current = clientView(before);
        if (!needsSecret(current.settings)) {
          throw new RuleViolationError(
            `client ${id} does not authenticate with a secret`,
            'client_not_confidential',
            'token_endpoint_auth_method',
          );
        }
        const secret = newSecret();
        const next = clientRecordFrom(
          definitionOf(current, secret),
          envelope,
          before.managedBy,
          before.organizationId,
        );
        return { client: await save(repos, principal, 'client.rotate_secret', before, next), secret };
      });
    },

    remove(principal: AdminPrincipal, id: string): Promise<void> {
      return db.transaction(async (repos) => {
        const before = await visibleClient(repos, principal, id);
        await repos.clients.delete(id);
        await recordChange(repos, principal.actor, {
          organizationId: before.organizationId,
          action: 'client.delete',
          targetType: 'client',
          targetId: id,
          before: clientView(before),
          after: null,
        });
      });
    },
  };
}
export type ClientsAdmin = ReturnType<typeof createClientsAdmin>;
