import { describe, expect, it } from '@jest/globals';
import { createOrganizationRateLimiter } from '../../../src/domain/entitlements/api-rate-limiter.js';
import { createMemoryEphemeralStore } from '../../../src/data/memory/ephemeral-store.js';

describe('organization rate limiter', () => {
  const limits: Record<string, { contractId: string; rate: { limit: number; windowSeconds: number } }> = {
    org_a: { contractId: 'org_a', rate: { limit: 2, windowSeconds: 60 } },
    org_a_child: { contractId: 'org_a', rate: { limit: 2, windowSeconds: 60 } },
    org_b: { contractId: 'org_b', rate: { limit: 2, windowSeconds: 60 } },
  };
  const setup = (start: number) => {
    let at = start;
    const store = createMemoryEphemeralStore({ now: () => at });
    const limiter = createOrganizationRateLimiter(
      store,
      async (id) => limits[id],
      () => new Date(at),
    );
    return { limiter, move: (ms: number) => (at += ms) };
  };

  it('allows the plan’s requests per window, then says how long to wait (whole seconds, at least 1)', async () => {
    const { limiter, move } = setup(Date.UTC(2026, 10, 30, 12, 0, 15));
    expect(await limiter.hit('org_a')).toBeUndefined();
    expect(await limiter.hit('org_a')).toBeUndefined();
    expect(await limiter.hit('org_a')).toBe(45);
    move(44_500);
    expect(await limiter.hit('org_a')).toBe(1);
    move(500);
    expect(await limiter.hit('org_a')).toBeUndefined();
  });

  it('counts one budget per contract, and never another contract’s', async () => {
    const { limiter } = setup(Date.UTC(2026, 10, 30, 12, 1, 0));
    await limiter.hit('org_a');
    await limiter.hit('org_a_child');
    expect(await limiter.hit('org_a')).toBeGreaterThanOrEqual(1);
    expect(await limiter.hit('org_b')).toBeUndefined();
  });

  it('does not count organizations without a limit', async () => {
    const { limiter } = setup(Date.UTC(2026, 10, 30, 12, 2, 0));
    for (let i = 0; i < 10; i += 1) expect(await limiter.hit('org_unlimited')).toBeUndefined();
  });

  it('applies a changed limit at once while the configuration is kept, and after 5 s otherwise', async () => {
    const at = Date.UTC(2026, 10, 30, 12, 3, 0);
    let limit = 1;
    const limitOf = async () => ({ contractId: 'org_c', rate: { limit, windowSeconds: 60 } });
    const limiterWith = (keeping: boolean) =>
      createOrganizationRateLimiter(
        createMemoryEphemeralStore({ now: () => at }),
        limitOf,
        () => new Date(at),
        {
          keeping: () => keeping,
          remembered: (_key, read) => read(),
        },
      );

    const kept = limiterWith(true);
    expect(await kept.hit('org_c')).toBeUndefined();
    expect(await kept.hit('org_c')).toBeGreaterThanOrEqual(1);
    limit = 5;
    expect(await kept.hit('org_c')).toBeUndefined();

    limit = 1;
    const unkept = limiterWith(false);
    expect(await unkept.hit('org_c')).toBeUndefined();
    limit = 5;
    // The plan read a moment ago still holds.
    expect(await unkept.hit('org_c')).toBeGreaterThanOrEqual(1);
  });
});
