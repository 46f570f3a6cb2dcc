import { isDeepStrictEqual } from 'node:util';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { newId } from '../../lib/ids.js';
import type { ConnectionCreate } from '../organizations/connection-input.js';
import { connectionView } from '../organizations/connection-view.js';
import { connectionSecretContext, newSpColumns, settingsOf } from '../organizations/connections-admin.js';
import type { ConnectionRecord } from '../ports/connections.js';
import type { Repositories } from '../ports/repositories.js';
import { CONFIG_OWNER, type PlannedChange } from './desired-state.js';
import { type OrganizationPlanContext, type OrganizationSlot } from './organization-slots.js';
import { recordChange } from '../organizations/tenancy-scope.js';

/**
 * The file's connections are an organization's whole list: connections it does not name are
 * deleted. Secrets are compared opened, so an unchanged file writes nothing; plans and audit
 * records show field names and connection views only, never a secret.
 */
export async function planConnections(
  repos: Repositories,
  slot: OrganizationSlot,
  envelope: Envelope,
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const { slug } = slot.desired;
  const stored = slot.stored ? await repos.connections.listFor(slot.stored.id) : [];
  const changes: PlannedChange[] = [];
  for (const input of slot.desired.connections) {
    const before = stored.find((row) => row.key === input.key);
    changes.push(
      before
        ? compareConnection(before, input, slug, envelope, context)
        : createConnection(slot.id, input, slug, envelope, context),
    );
  }
  const wanted = new Set(slot.desired.connections.map((input) => input.key));
  for (const before of stored.filter((row) => !wanted.has(row.key))) {
    changes.push({
      kind: 'connection',
      id: entryId(slug, before.key),
      action: 'delete',
      changes: [],
      write: async (tx) => {
        await tx.connections.delete(before.id);
        await audit(tx, context, 'delete', before, null);
      },
    });
  }
  return changes;
}

const entryId = (slug: string, key: string) => `${slug}/${key}`;

/** The columns the file owns, in the repository's shape (settings through JSON, as stored). */
function columnsOf(input: ConnectionCreate) {
  return {
    preset: input.preset ?? null,
    enabled: input.enabled,
    settings: JSON.parse(JSON.stringify(settingsOf(input))) as Record<string, unknown>,
    attributeMap: input.attribute_map,
    managedBy: CONFIG_OWNER,
  };
}

const secretOf = (input: ConnectionCreate) => (input.type === 'oidc' ? input.client_secret : undefined);

/**
 * A new SAML row gets its own SP key pair, generated in `prepare` (before the writes, like password
 * hashing) and sealed to the row's id. Other types need nothing: both members stay empty.
 */
function spCredentialFor(
  input: ConnectionCreate,
  id: string,
  envelope: Envelope,
  context: OrganizationPlanContext,
): {
  prepare?: () => Promise<void>;
  columns: () => Partial<Record<'spCertificate' | 'spKeyCiphertext', string>>;
} {
  let columns = {};
  if (input.type !== 'saml') return { columns: () => columns };
  const prepare = async () => {
    if (!context.spCredential) throw new Error('SAML connections need an SP credential generator');
    columns = await newSpColumns(context.spCredential, envelope, id);
  };
  return { prepare, columns: () => columns };
}

function createConnection(
  organizationId: string,
  input: ConnectionCreate,
  slug: string,
  envelope: Envelope,
  context: OrganizationPlanContext,
): PlannedChange {
  const id = newId('con');
  const sp = spCredentialFor(input, id, envelope, context);
  const write = async (tx: Repositories) => {
    const secret = secretOf(input);
    const after = await tx.connections.create({
      id,
      organizationId,
      key: input.key,
      type: input.type,
      ...columnsOf(input),
      secretCiphertext: secret === undefined ? null : envelope.seal(secret, connectionSecretContext(id)),
      ...sp.columns(),
    });
    await audit(tx, context, 'create', null, after);
  };
  const prepare = sp.prepare ? { prepare: sp.prepare } : {};
  return {
    kind: 'connection',
    id: entryId(slug, input.key),
    action: 'create',
    changes: [],
    ...prepare,
    write,
  };
}

/** Whether the stored secret differs from the file's; one that cannot be opened counts as changed. */
function secretDiffers(before: ConnectionRecord, secret: string | undefined, envelope: Envelope): boolean {
  if (before.secretCiphertext === null || secret === undefined)
    return (before.secretCiphertext === null) !== (secret === undefined);
  try {
    return envelope.open(before.secretCiphertext, connectionSecretContext(before.id)) !== secret;
  } catch {
    return true;
  }
}

function compareConnection(
  before: ConnectionRecord,
  input: ConnectionCreate,
  slug: string,
  envelope: Envelope,
  context: OrganizationPlanContext,
): PlannedChange {
  const id = entryId(slug, input.key);
  const next = columnsOf(input);
  const secret = secretOf(input);
  if (before.type !== input.type) {
    // The type never changes in place (linked identities refer to it): a new row replaces the old.
    const newIdValue = newId('con');
    const sp = spCredentialFor(input, newIdValue, envelope, context);
    const write = async (tx: Repositories) => {
      await tx.connections.delete(before.id);
      const after = await tx.connections.create({
        id: newIdValue,
        organizationId: before.organizationId,
        key: input.key,
        type: input.type,
        ...next,
        secretCiphertext:
          secret === undefined ? null : envelope.seal(secret, connectionSecretContext(newIdValue)),
        ...sp.columns(),
      });
      await audit(tx, context, 'update', before, after);
    };
    const prepare = sp.prepare ? { prepare: sp.prepare } : {};
    return { kind: 'connection', id, action: 'update', changes: ['type'], ...prepare, write };
  }
  const changes: string[] = [];
  if (before.preset !== next.preset) changes.push('preset');
  if (before.enabled !== next.enabled) changes.push('enabled');
  const fields = new Set([...Object.keys(before.settings), ...Object.keys(next.settings)]);
  for (const field of [...fields].sort()) {
    if (!isDeepStrictEqual(before.settings[field], next.settings[field])) changes.push(field);
  }
  if (!isDeepStrictEqual(before.attributeMap, next.attributeMap)) changes.push('attribute_map');
  const resealed = secretDiffers(before, secret, envelope);
  if (resealed) changes.push('client_secret');
  if (before.managedBy !== CONFIG_OWNER) changes.push('managed_by');
  if (changes.length === 0) return { kind: 'connection', id, action: 'unchanged', changes };
  const write = async (tx: Repositories) => {
    const secretCiphertext = !resealed
      ? before.secretCiphertext
      : secret === undefined
        ? null
        : envelope.seal(secret, connectionSecretContext(before.id));
    const after = await tx.connections.update(before.id, { ...next, secretCiphertext });
    await audit(tx, context, 'update', before, after);
  };
  return { kind: 'connection', id, action: 'update', changes, write };
}

/** The audit record shows connection views: whether a secret is set, never the secret. */
function audit(
  tx: Repositories,
  context: OrganizationPlanContext,
  verb: 'create' | 'update' | 'delete',
  before: ConnectionRecord | null,
  after: ConnectionRecord | null,
): Promise<void> {
  const target = (after ?? before) as ConnectionRecord;
  return recordChange(tx, context.actor, {
    organizationId: target.organizationId,
    action: `connection.${verb}`,
    targetType: 'connection',
    targetId: target.id,
    before: before && connectionView(before),
    after: after && connectionView(after),
  });
}
