import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouseInProcess } from './config-in-process.js';

/** `gatehouse orgs custom-domains`, in process against the run's shared database. */
describe('gatehouse orgs custom-domains', () => {
  const id = randomUUID().slice(0, 8);
  const slug = `cd-cli-${id}`;
  const host = `login-${id}.cli.example`;

  beforeAll(async () => {
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.GATEHOUSE_KEK = createHash('sha256').update(testDatabaseUrl()).digest('base64url');
    process.env.KEYS_DIR = mkdtempSync(join(tmpdir(), 'gh-keys-'));
    process.env.ISSUER = 'https://id.gatehouse.example';
    expect((await gatehouseInProcess(['orgs', 'create', '--slug', slug, '--name', 'CLI Co'])).code).toBe(0);
  });

  it('adds, lists, verifies as operator and removes a host, each with --json', async () => {
    const added = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'add',
      '--organization',
      slug,
      '--host',
      host,
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain(`name:  _gatehouse-challenge.${host}`);

    const list = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'list',
      '--organization',
      slug,
      '--json',
    ]);
    const rows = JSON.parse(list.stdout) as Array<{
      host: string;
      verifiedAt: string | null;
      txtRecord: unknown;
    }>;
    expect(rows).toEqual([
      expect.objectContaining({ host, verifiedAt: null, txtRecord: expect.any(Object) }),
    ]);

    const verified = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'verify',
      '--organization',
      slug,
      '--host',
      host,
      '--operator',
      '--json',
    ]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      host,
      txtRecord: null,
      verifiedAt: expect.any(String),
    });

    const removed = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'remove',
      '--organization',
      slug,
      '--host',
      host,
      '--json',
    ]);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: host });
    const empty = await gatehouseInProcess(['orgs', 'custom-domains', 'list', '--organization', slug]);
    expect(empty.stdout).toBe(`${slug} has no custom login domains.\n`);
  });

  it('exits 2 for a malformed host, 4 for a taken one, 3 for an unknown organization', async () => {
    const bad = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'add',
      '--organization',
      slug,
      '--host',
      'https://x.example',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--host');
    const first = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'add',
      '--organization',
      slug,
      '--host',
      host,
      '--verified',
    ]);
    expect(first.code).toBe(0);
    const again = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'add',
      '--organization',
      slug,
      '--host',
      host,
    ]);
    expect(again.code).toBe(4);
    const missing = await gatehouseInProcess([
      'orgs',
      'custom-domains',
      'list',
      '--organization',
      `missing-${id}`,
    ]);
    expect(missing.code).toBe(3);
  });
});
