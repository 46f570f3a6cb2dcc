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
