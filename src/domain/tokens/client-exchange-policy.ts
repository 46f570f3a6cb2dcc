import { z } from 'zod';

/**
 * What one client may do with RFC 8693 token exchange, kept in its metadata as `token_exchange`
 * (admin API, CLI and declarative file write it with the rest of the client). Every member is
 * optional and stored as written, so an unchanged definition never reads as a change; the
 * defaults below are the narrowest useful ones.
 */
const apiScope = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token (RFC 6749 §3.3)');

export const tokenExchangeSettingsSchema = z
  .object({
    /**
     * Clients whose tokens this one may present as subject tokens, besides its own. Exchanging
     * another client's token is how a service acts on a user's behalf downstream (RFC 8693 §1.1);
     * without this list a client holding a leaked token could not turn it into one of its own.
     */
    subject_clients: z.array(z.string().min(1).max(128)).max(100).optional(),
    /** Whether it may present an actor token: the result names that actor in `act` (RFC 8693 §4.1). */
    delegation: z.boolean().optional(),
    /** Whether it may exchange support impersonation handles (domain/impersonation). */
    impersonation: z.boolean().optional(),
    /** APIs (RFC 8707 resources, RFC 8693 audiences) an exchange may target; default: `resources`. */
    audiences: z
      .array(z.url({ protocol: /^https?$/ }))
      .max(100)
      .optional(),
    /** API scopes an exchange may yield; default: the client's own API scopes. */
    scopes: z.array(apiScope).max(200).optional(),
  })
  .strict();
export type TokenExchangeSettings = z.output<typeof tokenExchangeSettingsSchema>;

/** The policy with its defaults applied, as the exchange reads it. */
export interface ExchangePolicy {
  /** Clients whose subject tokens are accepted: always the client itself first. */
  subjectClients: readonly string[];
  delegation: boolean;
  impersonation: boolean;
  audiences: readonly string[];
  scopes: readonly string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Reads the policy from provider client metadata (`resources`, `resource_scopes`,
 * `token_exchange`). Metadata that does not parse grants nothing beyond self-exchange: it was
 * validated when written, so this only happens to hand-edited rows.
 */
export function exchangePolicyOf(clientId: string, metadata: Record<string, unknown>): ExchangePolicy {
  const parsed = tokenExchangeSettingsSchema.safeParse(metadata.token_exchange ?? {});
  const settings: TokenExchangeSettings = parsed.success ? parsed.data : {};
  const others = (settings.subject_clients ?? []).filter((id) => id !== clientId);
  return {
    subjectClients: [clientId, ...new Set(others)],
    delegation: settings.delegation ?? false,
    impersonation: settings.impersonation ?? false,
    audiences: settings.audiences ?? strings(metadata.resources),
    scopes: settings.scopes ?? strings(metadata.resource_scopes),
  };
}
