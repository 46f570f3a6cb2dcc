import { errors } from 'oidc-provider';
import { tokenExchangeSettingsSchema } from '../domain/tokens/client-exchange-policy.js';

/**
 * Gatehouse's own client metadata: `first_party` (skip consent), `resources` (RFC 8707 allow-list)
 * `resource_scopes` (API scopes the client may ask for; `scope` holds only OIDC scopes) and
 * `organization_id` (the organization that owns the client; set by Gatehouse, never by the client)
 * and `token_exchange` (its RFC 8693 policy, domain/tokens/client-exchange-policy.ts).
 */
export function clientMetadataExtensions() {
  return {
    extraClientMetadata: {
      properties: ['first_party', 'resources', 'resource_scopes', 'organization_id', 'token_exchange'],
      validator(_ctx: unknown, key: string, value: unknown) {
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata('first_party must be a boolean');
        }
        if (key === 'resource_scopes' && value !== undefined) {
          if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
            throw new errors.InvalidClientMetadata('resource_scopes must be a list of strings');
          }
        }
        if (key === 'token_exchange' && value !== undefined) {
          if (!tokenExchangeSettingsSchema.safeParse(value).success) {
            throw new errors.InvalidClientMetadata('token_exchange is not a valid exchange policy');
          }
        }
        if (key === 'resources' && value !== undefined) {
          if (
            !Array.isArray(value) ||
            !value.every((item) => typeof item === 'string' && URL.canParse(item))
          ) {
            throw new errors.InvalidClientMetadata('resources must be a list of absolute URIs');
          }
        }
      },
    },
  };
}

type ExtraMember = 'first_party' | 'resources' | 'resource_scopes' | 'organization_id' | 'token_exchange';

/** What Gatehouse reads of an oidc-provider client: its own members, kept under their own names. */
export type ClientExtras = object;

/**
 * One of Gatehouse's own members of a client. oidc-provider keeps them on the client object as
 * they were registered; `metadata()` would copy and re-key every member of the client on each
 * call, several times in every token request.
 */
export function clientExtra(client: ClientExtras | undefined, member: ExtraMember): unknown {
  return (client as Partial<Record<ExtraMember, unknown>> | undefined)?.[member];
}
