import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KEYS, startWidgetsApp, type WidgetsApp } from './widgets-app.js';

const PROBLEMS = 'https://gatehouse.dev/problems/';

describe('admin API: Idempotency-Key on POST', () => {
  let app: WidgetsApp;
  beforeAll(async () => {
    app = await startWidgetsApp();
  });
  afterAll(() => app.close());

  const create = (name: string, key?: string, apiKey: string = KEYS.admin) =>
    app.call('/widgets', {
      method: 'POST',
      key: apiKey,
      json: { name },
      headers: key === undefined ? {} : { 'Idempotency-Key': key },
    });

  it('replays the first answer, status, body and Location, without a second effect', async () => {
    const first = await create('replayed', 'key-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await create('replayed', 'key-1');
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await second.json()).toEqual(await first.json());
    expect(app.widgets.filter((w) => w.name === 'replayed')).toHaveLength(1);
  });

  it('keeps the stored answer sealed, never in plain text', async () => {
    expect((await create('sealed-secret-name', 'key-sealed')).status).toBe(201);
    const keyHash = createHash('sha256').update('key-sealed').digest('base64url');
    const stored = await app.store.get(`idempotency:api_key:key-admin:${keyHash}`);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('sealed-secret-name');
  });

  it('refuses the same key with a different body (422)', async () => {
    expect((await create('original', 'key-2')).status).toBe(201);
    const reused = await create('different', 'key-2');
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await reused.json()).toMatchObject({ type: `${PROBLEMS}idempotency_key_reused` });
  });

  it('refuses a repeat while the first is still in flight (409), then replays it', async () => {
    let release!: () => void;
    app.gate.wait = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (app.gate.entered = resolve));
    const inFlight = create('slow', 'key-3');
    await entered;
    const concurrent = await create('slow', 'key-3');
    expect(concurrent.status).toBe(409);
    expect(await concurrent.json()).toMatchObject({ type: `${PROBLEMS}idempotency_key_in_use` });
    release();
    expect((await inFlight).status).toBe(201);
    const later = await create('slow', 'key-3');
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not store a 5xx answer or a thrown failure, so a retry runs again', async () => {
    for (const name of ['unavailable', 'explode']) {
      const first = await create(name, `key-5xx-${name}`);
      expect(first.status).toBeGreaterThanOrEqual(500);
      const retry = await create(name, `key-5xx-${name}`);
      expect(retry.status).toBe(first.status);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('keeps keys of different API keys apart', async () => {
    expect((await create('mine', 'shared-key')).status).toBe(201);
    const theirs = await create('theirs', 'shared-key', KEYS.other);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does nothing without the header, and refuses a key over 255 characters', async () => {
    expect((await create('twice')).status).toBe(201);
    expect((await create('twice')).status).toBe(409);
    const long = await create('long', 'k'.repeat(256));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ type: `${PROBLEMS}invalid_idempotency_key` });
  });
});
