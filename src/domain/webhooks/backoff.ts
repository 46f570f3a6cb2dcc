/**
 * How long an endpoint rests after `failures` failed attempts in a row at the same event:
 * 5 s, 10 s, 20 s, ... doubling up to an hour, then hourly for as long as it keeps failing. A
 * receiver that is down for a day gets about 30 attempts, not thousands, and the events wait in
 * the database meanwhile.
 */
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 60 * 60_000;

export function retryDelayMs(failures: number): number {
  if (failures < 1) return 0;
  // 2^20 * 5 s is far past the cap: stop doubling there rather than overflow to Infinity.
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 20), MAX_RETRY_MS);
}
