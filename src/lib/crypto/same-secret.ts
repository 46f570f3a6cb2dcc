import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first, so
 * the comparison takes the same time whatever the length sent (timingSafeEqual wants equal lengths).
 */
export const sameSecret = (presented: string, expected: string): boolean =>
  timingSafeEqual(digest(presented), digest(expected));
