import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { testDatabaseUrl } from '../../support/services.js';

const run = promisify(execFile);

describe('timestamps read outside Prisma', () => {
  // Prisma keeps DateTime as UTC wall time in columns without a zone; a driver reading such a
  // column in the local zone of a process outside UTC would be off by the zone's offset.
  it('are the instants Prisma reads in a process whose local zone is not UTC', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/data/sql/time-zone-probe.ts'], {
      env: {
        ...process.env,
        TZ: 'America/New_York',
        GATEHOUSE_TEST_DATABASE_URL: testDatabaseUrl(),
        MIGRATIONS_DIR,
      },
      timeout: 120_000,
    });
    const result = JSON.parse(stdout) as Record<string, Record<string, string>> & { offset: number };
    // The probe really ran away from UTC (4 or 5 hours behind, by season).
    expect(result.offset).toBeGreaterThanOrEqual(240);
    for (const driver of ['onPostgres', 'onPglite']) {
      const { created, outsidePrisma, throughPrisma } = result[driver]!;
      expect({ driver, outsidePrisma, throughPrisma }).toEqual({
        driver,
        outsidePrisma: created,
        throughPrisma: created,
      });
    }
  }, 150_000);
});
