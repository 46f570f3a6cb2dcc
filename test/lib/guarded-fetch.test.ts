import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlockList } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGuardedFetch, internalAddresses, RefusedAddressError } from '../../src/lib/guarded-fetch.js';

describe('fetch guarded against internal addresses', () => {
  let server: Server;
  let port: number;
  const received: Array<{ method?: string; body: string; signature?: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({
          method: req.method,
          body,
          signature: req.headers['x-signature'] as string | undefined,
        });
        res.writeHead(req.url === '/gone' ? 410 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists loopback, private, link-local and mapped forms as internal, and public addresses as not', () => {
    const list = internalAddresses();
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
    ]) {
      expect([address, list.check(address, 'ipv4')]).toEqual([address, true]);
    }
    for (const address of ['::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect([address, list.check(address, 'ipv6')]).toEqual([address, true]);
    }
    for (const address of ['93.184.216.34', '8.8.8.8']) expect(list.check(address, 'ipv4')).toBe(false);
    expect(list.check('2606:4700::1111', 'ipv6')).toBe(false);
  });

  it('refuses an internal address, given literally or through a name, before anything is sent', async () => {
    const guarded = createGuardedFetch(internalAddresses());
    const before = received.length;
    await expect(
      guarded(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{}' }),
    ).rejects.toBeInstanceOf(RefusedAddressError);
    await expect(guarded(`http://localhost:${port}/hook`, { method: 'POST', body: '{}' })).rejects.toThrow(
      /internal address/,
    );
    await expect(guarded(`http://[::1]:${port}/hook`, { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(
      RefusedAddressError,
    );
    expect(received.length).toBe(before);
  });

  it('sends method, headers and body where the address is allowed, and answers with the status', async () => {
    const guarded = createGuardedFetch(new BlockList());
    const answer = await guarded(`http://localhost:${port}/hook`, {
      method: 'POST',
      headers: { 'x-signature': 't=1,v1=ab' },
      body: '{"sequence":1}',
    });
    expect(answer.status).toBe(204);
    expect(received.at(-1)).toEqual({ method: 'POST', body: '{"sequence":1}', signature: 't=1,v1=ab' });
    expect((await guarded(`http://127.0.0.1:${port}/gone`, { method: 'POST', body: '' })).status).toBe(410);
  });
});
