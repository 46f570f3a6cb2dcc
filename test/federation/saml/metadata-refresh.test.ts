import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  certificateWarnings,
  createIdpMetadataRefresh,
  createMetadataRefreshScheduler,
  IdpMetadataError,
  readStoredMetadata,
} from '../../../src/federation/saml/index.js';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { expectRejection } from './support/expect-rejection.js';
import { respond } from './support/respond.js';
import { samlpMetadata } from './support/samlp-idp.js';
import { fixtureKey, samlConnection, testSp } from './support/saml-context.js';

const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');

/** A local IdP metadata endpoint whose document the test swaps, plus the ways a fetch goes wrong. */
let server: Server;
let base: string;
let published = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/metadata')
      return void res.writeHead(200, { 'content-type': 'application/xml' }).end(published);
    if (req.url === '/huge') return void res.writeHead(200).end('x'.repeat(2_000_000));
    if (req.url === '/moved') return void res.writeHead(302, { location: '/metadata' }).end();
    if (req.url === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const publish = async (key: 'idp' | 'idp-next') =>
  (published = await samlpMetadata('https://idp.example.test/sso', fixtureKey(key).certificate));

describe('IdP metadata refresh', () => {
  const refresh = createIdpMetadataRefresh({ timeoutMs: 300 });
  const connectionAt = (path: string, upstreamMetadata: Record<string, unknown> | null = null) => ({
    id: 'con_saml_test',
    settings: { idp_metadata_url: `${base}${path}` },
    upstreamMetadata,
  });

  it('keeps the old certificate through a rollover until a response verifies with the new one', async () => {
    const t = testSp();
    const allow = { allow_idp_initiated: true, idp_initiated_client: 'portal' };
    const accept = (metadata: Record<string, unknown>, key: 'idp' | 'idp-next' | 'attacker') =>
      respond(t.shape(), { key }).then(({ form }) =>
        t.sp.acceptResponse(samlConnection(allow, metadata), form),
      );

    await publish('idp');
    const first = await refresh(connectionAt('/metadata'));
    expect(readStoredMetadata(first)).toMatchObject({
      ssoRedirectUrl: 'https://idp.example.test/sso',
      previousCertificates: [],
    });
    expect((await accept(first, 'idp')).upstreamMetadataUpdate).toBeUndefined();

    await publish('idp-next');
    const rolled = readStoredMetadata(await refresh(connectionAt('/metadata', first)))!;
    expect(rolled.certificates.map(der)).toEqual([der(fixtureKey('idp-next').certificate)]);
    expect(rolled.previousCertificates.map(der)).toEqual([der(fixtureKey('idp').certificate)]);

    const stillOld = await accept(rolled, 'idp');
    expect(stillOld.upstreamMetadataUpdate).toBeUndefined();
    await expectRejection(accept(rolled, 'attacker'), 'signature_invalid');

    const switched = await accept(rolled, 'idp-next');
    const settled = readStoredMetadata(switched.upstreamMetadataUpdate!)!;
    expect(settled).toMatchObject({ certificates: rolled.certificates, previousCertificates: [] });
    await expectRejection(accept(settled, 'idp'), 'signature_invalid');
  });

  it('refreshes without a change when the IdP publishes the same key again', async () => {
    await publish('idp');
    const first = await refresh(connectionAt('/metadata'));
    const again = readStoredMetadata(await refresh(connectionAt('/metadata', first)))!;
    expect(again.previousCertificates).toEqual([]);
  });

  it.each([
    ['an HTTP error', '/missing'],
    ['a redirect', '/moved'],
    ['a body over the size cap', '/huge'],
    ['no answer within the timeout', '/slow'],
  ])('fails on %s, leaving the stored metadata to the caller', async (_name, path) => {
    await expect(refresh(connectionAt(path))).rejects.toThrow(IdpMetadataError);
  });

  it('fetches https, or http on the loopback host only', async () => {
    const plain = {
      id: 'c',
      settings: { idp_metadata_url: 'http://idp.example.test/md' },
      upstreamMetadata: null,
    };
    await expect(refresh(plain)).rejects.toThrow(IdpMetadataError);
  });
});

describe('IdP certificate expiry warnings', () => {
  const idp = fixtureKey('idp').certificate;
  const next = fixtureKey('idp-next').certificate;
  const expiry = new Date(new X509Certificate(idp).validTo);
  const daysBefore = (days: number) => new Date(expiry.getTime() - days * 86_400_000);

  it('lists certificates expiring within the window, current and previous, and expired ones', () => {
    expect(certificateWarnings({ certificates: [idp] }, daysBefore(40))).toEqual([]);
    const soon = certificateWarnings({ certificates: [idp], previousCertificates: [next] }, daysBefore(10));
    expect(soon).toHaveLength(2);
    expect(soon[0]).toMatchObject({
      state: 'current',
      expired: false,
      notAfter: expiry,
      subject: 'CN=Test IdP',
    });
    expect(soon[0]!.daysLeft).toBeGreaterThanOrEqual(9);
    expect(soon[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(certificateWarnings({ certificates: [idp] }, daysBefore(-1))[0]).toMatchObject({ expired: true });
    expect(certificateWarnings({ certificates: [idp] }, daysBefore(50), 60)).toHaveLength(1);
  });
});

describe('IdP metadata refresh scheduler', () => {
  it('refreshes SAML connections with a metadata URL, counts failures, and logs expiring certificates', async () => {
    await publish('idp');
    const persisted = new Map<string, Record<string, unknown>>();
    const logged: string[] = [];
    const expiry = new Date(new X509Certificate(fixtureKey('idp').certificate).validTo);
    const scheduler = createMetadataRefreshScheduler({
      listConnections: async () =>
        [
          {
            id: 'con_a',
            type: 'saml',
            settings: { idp_metadata_url: `${base}/metadata` },
            upstreamMetadata: null,
          },
          {
            id: 'con_b',
            type: 'saml',
            settings: { idp_metadata_url: `${base}/missing` },
            upstreamMetadata: null,
          },
          samlConnection(),
          {
            id: 'con_oidc',
            type: 'oidc',
            settings: { issuer: 'https://x.example.test', client_id: 'a' },
            upstreamMetadata: null,
          },
        ].map((connection) => ({ type: 'saml', ...connection })),
      persist: async (id, metadata) => void persisted.set(id, metadata),
      refresh: createIdpMetadataRefresh({ timeoutMs: 500 }),
      logger: {
        info: (_details, message) => logged.push(message),
        warn: (_details, message) => logged.push(message),
      },
      now: () => new Date(expiry.getTime() - 5 * 86_400_000),
    });
    expect(await scheduler.runOnce()).toEqual({ refreshed: 1, failed: 1 });
    expect([...persisted.keys()]).toEqual(['con_a']);
    expect(logged).toEqual(['SAML IdP certificate expires soon', 'SAML metadata refresh failed']);

    persisted.clear();
    scheduler.start();
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    scheduler.stop();
    expect([...persisted.keys()]).toEqual(['con_a']);
  });

  it('runs a round in one process only when several share the store', async () => {
    published = await samlpMetadata('https://idp.example.test/sso');
    const store = createMemoryEphemeralStore();
    const fetchedBy: string[] = [];
    const schedulers = ['first', 'second'].map((name) =>
      createMetadataRefreshScheduler({
        listConnections: async () => [
          {
            id: `con_${name}`,
            type: 'saml',
            settings: { idp_metadata_url: `${base}/metadata` },
            upstreamMetadata: null,
          },
        ],
        persist: async () => void fetchedBy.push(name),
        refresh: createIdpMetadataRefresh({ timeoutMs: 500 }),
        logger: { info: () => undefined, warn: () => undefined },
        takeLease: (seconds) => store.putIfAbsent('saml:metadata-refresh', 'taken', seconds),
      }),
    );
    for (const scheduler of schedulers) scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const scheduler of schedulers) scheduler.stop();
    expect(fetchedBy).toEqual(['first']);
  });

  it('never runs on its own when the interval is 0', async () => {
    published = await samlpMetadata('https://idp.example.test/sso');
    let listed = 0;
    const scheduler = createMetadataRefreshScheduler({
      listConnections: async () => {
        listed += 1;
        return [];
      },
      persist: async () => undefined,
      refresh: createIdpMetadataRefresh({ timeoutMs: 500 }),
      logger: { info: () => undefined, warn: () => undefined },
      intervalHours: 0,
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    scheduler.stop();
    expect(listed).toBe(0);
    expect(await scheduler.runOnce()).toEqual({ refreshed: 0, failed: 0 });
    expect(listed).toBe(1);
  });
});
