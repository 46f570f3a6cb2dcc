import { z } from 'zod';
import { connectionKeySchema } from './connection-input.js';

/**
 * An organization's home-realm routing as admins write it (admin API and declarative file): rules
 * name connections by key, and the list order is the declaration order that breaks full ties.
 */
export const MAX_ROUTING_RULES = 100;

export const routingRuleSchema = z
  .object({
    /** Exact (`example.com`) or wildcard (`*.corp.example.com`); checked against verified claims. */
    domain: z.string().min(1).max(255),
    connection: connectionKeySchema,
    /** Lower number = higher priority. */
    priority: z.int().min(0).max(1_000_000),
  })
  .strict();
export type RoutingRuleInput = z.output<typeof routingRuleSchema>;

export const routingSettingsSchema = z
  .object({
    rules: z.array(routingRuleSchema).max(MAX_ROUTING_RULES),
    /** The connection for verified-domain emails no rule matches; null for none. */
    fallback_connection: connectionKeySchema.nullable(),
  })
  .strict();
export type RoutingSettings = z.output<typeof routingSettingsSchema>;
