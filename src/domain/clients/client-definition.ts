import { z } from 'zod';
import { tokenExchangeSettingsSchema } from '../tokens/client-exchange-policy.js';
import { TOKEN_EXCHANGE_GRANT } from '../tokens/token-exchange-policy.js';

/**
 * A relying party as operators write it (declarative file, CLI, admin API). Field names follow
 * OpenID Connect Dynamic Client Registration so metadata passes to oidc-provider unchanged.
 */
const absoluteUri = z.url({ protocol: /^https?$/ });

export const clientDefinitionSchema = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{3,128}$/, 'letters, digits and . _ ~ - (3 to 128)'),
    name: z.string().min(1).max(200).optional(),
    /** Omitted: a public client, which must use PKCE (RFC 9700 §2.1.1). */
    client_secret: z.string().min(32, 'client secrets need at least 32 characters').optional(),
    redirect_uris: z.array(absoluteUri).default([]),
    post_logout_redirect_uris: z.array(absoluteUri).default([]),
    /** RFC 7591 names; RFC 8693 token exchange by its grant type URI. */
    grant_types: z
      .array(
        z.enum([
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'implicit',
          TOKEN_EXCHANGE_GRANT,
        ]),
      )
      .default(['authorization_code', 'refresh_token']),
    /** Implicit and hybrid response types only for clients that opt in (RFC 9700 §2.1.2). */
    response_types: z.array(z.enum(['code', 'id_token', 'code id_token', 'none'])).optional(),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).default(['openid', 'email', 'profile']),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'private_key_jwt', 'none']).optional(),
    jwks_uri: absoluteUri.optional(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
    backchannel_logout_uri: absoluteUri.optional(),
    /** Back-Channel Logout 1.0 §2.2: logout tokens (and so ID tokens) must name the session (`sid`). */
    backchannel_logout_session_required: z.boolean().optional(),
    /**
     * OIDC Core §4: where a sign-in begun elsewhere (an IdP-initiated SAML sign-in) sends the
     * browser so the application starts its own authorization request. https only, as the spec says.
     */
    initiate_login_uri: z.url({ protocol: /^https$/ }).optional(),
    /** RFC 8707 resource indicators this client may ask for; their access tokens are JWTs (RFC 9068). */
    resources: z.array(absoluteUri).default([]),
    /** First-party clients skip the consent page. */
    first_party: z.boolean().default(true),
    /** RFC 8693: whose tokens it may exchange, delegation, impersonation, which APIs and scopes. */
    token_exchange: tokenExchangeSettingsSchema.optional(),
  })
  .strict()
  .superRefine((client, ctx) => {
    const method =
      client.token_endpoint_auth_method ?? (client.client_secret ? 'client_secret_basic' : 'none');
    if (method === 'client_secret_basic' && !client.client_secret) {
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: 'client_secret_basic needs a client_secret',
      });
    }
    if (method === 'private_key_jwt' && !client.jwks && !client.jwks_uri) {
      ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'private_key_jwt needs jwks or jwks_uri' });
    }
    if (method === 'none' && client.grant_types.includes('client_credentials')) {
      ctx.addIssue({
        code: 'custom',
        path: ['grant_types'],
        message: 'a public client cannot use client_credentials',
      });
    }
    // RFC 8693 §2.1 expects client authentication; and an exchange only ever yields an API token.
    if (client.grant_types.includes(TOKEN_EXCHANGE_GRANT)) {
      if (method === 'none') {
        ctx.addIssue({
          code: 'custom',
          path: ['grant_types'],
          message: 'a public client cannot use token exchange',
        });
      }
      if (client.resources.length === 0 && !client.token_exchange?.audiences?.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['resources'],
          message: 'token exchange needs resources (or token_exchange.audiences)',
        });
      }
    } else if (client.token_exchange) {
      ctx.addIssue({
        code: 'custom',
        path: ['token_exchange'],
        message: `token_exchange needs the grant type ${TOKEN_EXCHANGE_GRANT}`,
      });
    }
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['redirect_uris'],
        message: 'authorization_code needs redirect_uris',
      });
    }
  });

export type ClientDefinition = z.input<typeof clientDefinitionSchema>;
export type ValidClientDefinition = z.output<typeof clientDefinitionSchema>;
