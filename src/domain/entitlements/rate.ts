/** A request budget per fixed window: `50/s` is 50 requests in each one-second window. */
export interface Rate {
  limit: number;
  windowSeconds: number;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };
const RATE = /^([1-9][0-9]{0,6})\/([smh])$/;

/** `N/s`, `N/m` or `N/h` (N from 1 to 9,999,999); undefined for anything else. */
export function parseRate(text: string): Rate | undefined {
  const match = RATE.exec(text.trim());
  if (!match) return undefined;
  return { limit: Number(match[1]), windowSeconds: UNITS[match[2]!]! };
}

export const formatRate = (rate: Rate): string =>
  `${rate.limit}/${Object.keys(UNITS).find((unit) => UNITS[unit] === rate.windowSeconds) ?? 's'}`;
