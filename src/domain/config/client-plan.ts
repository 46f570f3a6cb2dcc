import { isDeepStrictEqual } from 'node:util';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { clientDiffers, clientRecordFrom } from '../clients/client-catalog.js';
import type { ValidClientDefinition } from '../clients/client-definition.js';
import type { ClientRecord, NewClient, Repositories } from '../ports/repositories.js';
import { CONFIG_OWNER, type PlannedChange } from './desired-state.js';
import type { OrganizationPlanContext } from './organization-slots.js';
import { recordChange } from '../organizations/tenancy-scope.js';

/**
 * Compares the file's clients with the stored ones. A file entry whose client exists under another
 * owner (demo, API) is taken over; config-owned clients missing from the file are deleted.
 */
export async function planClients(
  repos: Repositories,
  desired: ValidClientDefinition[],
  envelope: Envelope,
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const owned = await repos.clients.list({ managedBy: CONFIG_OWNER });
  const changes: PlannedChange[] = [];
  for (const definition of desired) {
    const next = clientRecordFrom(definition, envelope, CONFIG_OWNER);
    const stored = owned.find((client) => client.id === next.id) ?? (await repos.clients.find(next.id));
    changes.push(compareClient(stored, next, envelope, context));
  }
  const wanted = new Set(desired.map((definition) => definition.client_id));
  for (const stale of owned.filter((client) => !wanted.has(client.id))) {
    changes.push({
      kind: 'client',
      id: stale.id,
      action: 'delete',
      changes: [],
      write: async (tx) => {
        await tx.clients.delete(stale.id);
        await auditClient(tx, context, 'delete', stale, null);
      },
    });
  }
  return changes;
}

function compareClient(
  stored: ClientRecord | undefined,
  next: NewClient,
  envelope: Envelope,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    const after = await tx.clients.upsert(next);
    await auditClient(tx, context, stored ? 'update' : 'create', stored ?? null, after);
  };
  if (!stored) return { kind: 'client', id: next.id, action: 'create', changes: [], write };
  const changes = changedFields(stored, next, envelope);
  if (changes.length === 0) return { kind: 'client', id: next.id, action: 'unchanged', changes };
  return { kind: 'client', id: next.id, action: 'update', changes, write };
}

function changedFields(stored: ClientRecord, next: NewClient, envelope: Envelope): string[] {
  const changes: string[] = [];
  if (secretDiffers(stored, next, envelope)) changes.push('client_secret');
  if (stored.name !== next.name) changes.push('name');
  // Through JSON, as the row stores it: an undefined optional field equals an absent one.
  const nextMetadata = JSON.parse(JSON.stringify(next.metadata)) as Record<string, unknown>;
  const fields = new Set([...Object.keys(stored.metadata), ...Object.keys(nextMetadata)]);
  for (const field of [...fields].sort()) {
    if (!isDeepStrictEqual(stored.metadata[field], nextMetadata[field])) changes.push(field);
  }
  if (stored.managedBy !== CONFIG_OWNER) changes.push('managed_by');
  return changes;
}

/** Secrets are compared opened; one sealed under an older key-encryption key counts as changed. */
function secretDiffers(stored: ClientRecord, next: NewClient, envelope: Envelope): boolean {
  try {
    return clientDiffers({ ...stored, name: next.name, metadata: next.metadata }, next, envelope);
  } catch {
    return true;
  }
}

/** The audit record shows the client without its sealed secret. */
function auditClient(
  tx: Repositories,
  context: OrganizationPlanContext,
  verb: 'create' | 'update' | 'delete',
  before: ClientRecord | null,
  after: ClientRecord | null,
): Promise<void> {
  const shown = (client: ClientRecord | null) =>
    client && {
      id: client.id,
      name: client.name,
      metadata: client.metadata,
      organizationId: client.organizationId,
      managedBy: client.managedBy,
    };
  return recordChange(tx, context.actor, {
    organizationId: (after ?? before)?.organizationId ?? null,
    action: `client.${verb}`,
    targetType: 'client',
    targetId: (after ?? before)?.id ?? '',
    before: shown(before),
    after: shown(after),
  });
}
