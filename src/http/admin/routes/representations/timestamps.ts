import { z } from 'zod';

/** Instants as RFC 3339 strings in UTC. */
export const timestamp = z.iso.datetime();
export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => date && date.toISOString();
