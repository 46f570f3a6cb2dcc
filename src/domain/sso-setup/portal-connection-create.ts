import type { Envelope } from '../../lib/crypto/envelope.js';
import { newId } from '../../lib/ids.js';
import { assertConnectionAllowed } from '../entitlements/entitlement-checks.js';
import { NotFoundError } from '../errors.js';
import type { ConnectionCreate } from '../organizations/connection-input.js';
import { connectionView, type ConnectionView } from '../organizations/connection-view.js';
import {
  newConnectionRow,
  newSpColumns,
  type SpCredentialGenerator,
} from '../organizations/connections-admin.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { Database } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';

// Long enough to set the application up at the IdP between the two pages of the guide.
const RESERVATION_SECONDS = 4 * 60 * 60;
const reservation = (organizationId: string, id: string) => `portal:sso:reserved:${organizationId}:${id}`;

/**
 * A connection made in the portal. The IdP must be told the connection's ACS URL, entity ID or
 * redirect URI (all derived from its id) before it can hand out the metadata or client the
 * connection is made from: so the guide reserves an id for the organization first, shows the
 * values, and the connection is created under that id. It starts disabled: a test sign-in, then
 * activation, turn it on (sso-setup.ts).
 */
export function createPortalConnectionCreate(deps: {
  db: Database;
  store: EphemeralStore;
  envelope: Envelope;
  spCredential: SpCredentialGenerator;
}) {
  return {
    async reserve(organizationId: string): Promise<string> {
      const id = newId('con');
      await deps.store.put(reservation(organizationId, id), '1', RESERVATION_SECONDS);
      return id;
    },

    /** Whether the id is reserved for the organization (the guide page may be reloaded). */
    async isReserved(organizationId: string, id: string): Promise<boolean> {
      return (await deps.store.get(reservation(organizationId, id))) !== undefined;
    },

    async create(
      actor: Actor,
      organizationId: string,
      id: string,
      input: ConnectionCreate,
    ): Promise<ConnectionView> {
      // An id the portal did not reserve for this organization is refused as unknown.
      if (!(await this.isReserved(organizationId, id)))
        throw new NotFoundError(`connection reservation ${id}`);
      // The plan first (no key generation for a refusal), then again in the creating transaction.
      await assertConnectionAllowed(deps.db, organizationId);
      const sp = input.type === 'saml' ? await newSpColumns(deps.spCredential, deps.envelope, id) : {};
      const view = await deps.db.transaction(async (repos) => {
        await assertConnectionAllowed(repos, organizationId);
        // Disabled until a test sign-in passes and an administrator activates it.
        const connection = await repos.connections.create({
          ...newConnectionRow(deps.envelope, id, organizationId, input, sp),
          enabled: false,
        });
        await recordChange(repos, actor, {
          organizationId,
          action: 'connection.create',
          targetType: 'connection',
          targetId: id,
          before: null,
          after: connectionView(connection),
        });
        return connectionView(connection);
      });
      await deps.store.delete(reservation(organizationId, id));
      return view;
    },
  };
}
export type PortalConnectionCreate = ReturnType<typeof createPortalConnectionCreate>;
