import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CLIENT_CACHE_MS, createClientCatalog } from '../../../src/domain/clients/client-catalog.js';
import type { KeptConfiguration } from '../../../src/domain/ports/kept-configuration.js';
import type { ClientRecord, ClientRepository } from '../../../src/domain/ports/repositories.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';

const envelope = createEnvelope(randomBytes(32));
const record = (id: string): ClientRecord => ({
  id,
  name: null,
  secretCiphertext: envelope.seal('s3cret-of-the-client', `client-secret:${id}`),
  metadata: { redirect_uris: ['https://rp.example/cb'] },
  organizationId: 'org_1',
  managedBy: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** A client table that counts its reads. */
function countingClients() {
  const repository = {
    reads: 0,
    async find(id: string) {
      repository.reads += 1;
      return id === 'known' ? record(id) : undefined;
    },
  };
  return repository;
}

/** A configuration cache played by hand: keeping or not, one answer per key until forgotten. */
function keptConfiguration() {
  const answers = new Map<string, Promise<unknown>>();
  const kept: KeptConfiguration & { on: boolean; forget(): void } = {
    on: true,
    keeping: () => kept.on,
    remembered<T>(key: string, read: () => Promise<T>) {
      if (!answers.has(key)) answers.set(key, read());
      return answers.get(key) as Promise<T>;
    },
    forget: () => answers.clear(),
  };
  return kept;
}

describe('client catalog', () => {
  it('opens the secret and keeps the answer, for unknown ids too, until the configuration changes', async () => {
    const clients = countingClients();
    const kept = keptConfiguration();
    const catalog = createClientCatalog(clients as unknown as ClientRepository, envelope, { kept });
    const first = await catalog.providerMetadata('known');
    expect(first).toMatchObject({
      client_id: 'known',
      client_secret: 's3cret-of-the-client',
      organization_id: 'org_1',
    });
    expect(await catalog.providerMetadata('known')).toBe(first);
    expect(await catalog.providerMetadata('made-up')).toBeUndefined();
    expect(await catalog.providerMetadata('made-up')).toBeUndefined();
    expect(clients.reads).toBe(2);

    kept.forget();
    expect(await catalog.providerMetadata('known')).not.toBe(first);
    expect(clients.reads).toBe(3);
  });

  it('keeps an answer for CLIENT_CACHE_MS when the configuration is not kept', async () => {
    let now = 0;
    const clients = countingClients();
    const kept = keptConfiguration();
    kept.on = false;
    const catalog = createClientCatalog(clients as unknown as ClientRepository, envelope, {
      kept,
      now: () => now,
    });
    const first = await catalog.providerMetadata('known');
    now = CLIENT_CACHE_MS - 1;
    expect(await catalog.providerMetadata('known')).toBe(first);
    now = CLIENT_CACHE_MS;
    expect(await catalog.providerMetadata('known')).not.toBe(first);
    expect(clients.reads).toBe(2);
  });
});
