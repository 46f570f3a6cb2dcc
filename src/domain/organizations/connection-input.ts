import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

/**
 * A connection as admins write it (the admin API and, later, the declarative file): the YAML shape,
 * flat. `key`, `type`, `preset`, `enabled`, `attribute_map` and `client_secret` are columns of their
 * own; every other member is a non-secret setting of the type.
 */

export const CONNECTION_PRESETS = [
  'azure-ad',
  'okta',
  'pingfederate',
  'adfs',
  'auth0',
  'cognito',
  'oidc',
  'saml',
] as const;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or plain http to the loopback host only (an IdP on the developer's own machine). */
export function isUpstreamUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

const upstreamUrl = z
  .string()
  .max(2048)
  .refine(
    isUpstreamUrl,
    'an https URL (http only for localhost or 127.0.0.1), without credentials or fragment',
  );

/** A PEM certificate or its bare base64 DER, as IdP metadata and admin consoles hand them out. */
function isCertificate(value: string): boolean {
  const pem = value.includes('-----BEGIN')
    ? value
    : `-----BEGIN CERTIFICATE-----\n${value.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`;
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

export const connectionKeySchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'lower-case letters, digits, _ and - (1 to 63, starting with a letter or digit)',
  );

const attributeMapSchema = z
  .record(
    z.string().min(1).max(512),
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'an attribute name'),
  )
  .refine((map) => Object.keys(map).length <= 100, 'at most 100 entries');

const common = {
  key: connectionKeySchema,
  preset: z.enum(CONNECTION_PRESETS).optional(),
  enabled: z.boolean().default(true),
  attribute_map: attributeMapSchema.default({}),
};

/** OIDC settings (everything but the secret), the shape stored in the `settings` column. */
export const oidcSettingsSchema = z
  .object({
    issuer: upstreamUrl,
    client_id: z.string().min(1).max(255),
    // OIDC Core §3.1.2.1: `openid` must be among the scopes of an authentication request.
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token'))
      .max(50)
      .refine((scopes) => scopes.includes('openid'), 'must include openid')
      .default(['openid', 'email', 'profile']),
    // private_key_jwt: Gatehouse signs with its own current RS256 key; the IdP registers
    // <issuer>/jwks, so no shared secret exists and rotation needs nothing at the IdP.
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'])
      .default('client_secret_basic'),
  })
  .strict();
export type OidcSettings = z.output<typeof oidcSettingsSchema>;

/** Whether the upstream client authenticates with a shared secret. */
export const usesClientSecret = (method: unknown) =>
  method === 'client_secret_basic' || method === 'client_secret_post';

interface SamlSources {
  idp_metadata_url?: string | undefined;
  idp_metadata_xml?: string | undefined;
  idp_sso_url?: string | undefined;
  idp_certificates?: string[] | undefined;
  idp_entity_id?: string | undefined;
  allow_idp_initiated?: boolean | undefined;
  idp_initiated_client?: string | undefined;
  single_logout?: boolean | undefined;
  idp_slo_url?: string | undefined;
}

/**
 * The IdP is known from its metadata (fetched or pasted) or from its SSO URL, certificates and
 * entity ID. Without metadata nothing else names the issuer that every response and assertion
 * must carry (SAML 2.0 Profiles §4.1.4.2), so the manual form needs all three. An IdP-initiated
 * login has no request to return to: the connection names the application it lands in.
 */
function requireIdpSource(settings: SamlSources, ctx: z.RefinementCtx): void {
  if (settings.allow_idp_initiated && settings.idp_initiated_client === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['idp_initiated_client'],
      message: 'required with allow_idp_initiated: the client_id an IdP-initiated login lands in',
    });
  }
  const manual = settings.idp_sso_url !== undefined && settings.idp_certificates !== undefined;
  const metadata = Boolean(settings.idp_metadata_url || settings.idp_metadata_xml);
  if (settings.single_logout === true && !metadata && settings.idp_slo_url === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['idp_slo_url'],
      message: 'required with single_logout: true when no IdP metadata names a SingleLogoutService',
    });
  }
  if (metadata) return;
  if (manual) {
    if (settings.idp_entity_id === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['idp_entity_id'],
        message: 'required with idp_sso_url and idp_certificates (the Issuer the IdP signs with)',
      });
    }
    return;
  }
  ctx.addIssue({
    code: 'custom',
    path: settings.idp_sso_url ? ['idp_certificates'] : ['idp_metadata_url'],
    message: 'give idp_metadata_url, idp_metadata_xml, or idp_sso_url with idp_certificates',
  });
}

/**
 * Which signature a response must carry (SAML 2.0 Profiles §4.1.4.5: each assertion must be
 * protected, by its own signature or by the response's). The default, `assertion`, is what Entra
 * ID, Okta, AD FS, PingFederate and Google send by default; it authenticates the element Gatehouse
 * relies on directly, and it survives encryption (the signature is inside the EncryptedAssertion).
 * `either` accepts a signature on the enclosing response instead (Shibboleth's default).
 */
export const SAML_SIGNATURE_TARGETS = ['assertion', 'response', 'either', 'both'] as const;

/** The SAML bindings Single Logout messages travel in (SAML Bindings §3.4 HTTP-Redirect, §3.5 HTTP-POST). */
export const SAML_SLO_BINDINGS = ['redirect', 'post'] as const;

/** SAML settings, the shape stored in the `settings` column. */
export const samlSettingsSchema = z
  .object({
    idp_metadata_url: upstreamUrl.optional(),
    idp_metadata_xml: z.string().min(1).max(60_000).optional(),
    idp_entity_id: z.string().min(1).max(1024).optional(),
    idp_sso_url: upstreamUrl.optional(),
    idp_certificates: z
      .array(z.string().max(16_384).refine(isCertificate, 'a PEM or base64 X.509 certificate'))
      .min(1)
      .max(5)
      .optional(),
    sign_authn_requests: z.boolean().default(false),
    signature_required_on: z.enum(SAML_SIGNATURE_TARGETS).default('assertion'),
    // When true a plaintext assertion is refused, even a validly signed one.
    want_encrypted_assertions: z.boolean().default(false),
    allow_idp_initiated: z.boolean().default(false),
    idp_initiated_client: z.string().min(1).max(255).optional(),
    // SAML signatures over SHA-1 are forgeable in practice; only for IdPs that cannot do better.
    allow_sha1: z.boolean().default(false),
    // The attribute carrying the email when it is not one of the usual names (mail, email, ...).
    email_attribute: z.string().min(1).max(512).optional(),
    // SAML Profiles §4.4 Single Logout. Unset: on when the IdP has a SingleLogoutService (from its
    // metadata or idp_slo_url); false: Gatehouse neither sends nor accepts logout messages.
    single_logout: z.boolean().optional(),
    // The IdP's SingleLogoutService when its metadata does not name one (or names the wrong one).
    idp_slo_url: upstreamUrl.optional(),
    // The binding LogoutRequests go out in; unset: HTTP-Redirect when the IdP offers it.
    slo_binding: z.enum(SAML_SLO_BINDINGS).optional(),
  })
  .strict()
  .superRefine(requireIdpSource);
export type SamlSettings = z.output<typeof samlSettingsSchema>;

const clientSecret = z.string().min(1).max(1024);

const oidcCreateSchema = z
  .object({
    ...common,
    type: z.literal('oidc'),
    ...oidcSettingsSchema.shape,
    client_secret: clientSecret.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.preset === 'saml') ctx.addIssue({ code: 'custom', path: ['preset'], message: 'a SAML preset' });
    const needsSecret = usesClientSecret(input.token_endpoint_auth_method);
    if (needsSecret === (input.client_secret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: needsSecret
          ? `required with token_endpoint_auth_method ${input.token_endpoint_auth_method}`
          : `not used with token_endpoint_auth_method ${input.token_endpoint_auth_method}`,
      });
    }
  });

const samlCreateSchema = z
  .object({ ...common, type: z.literal('saml'), ...samlSettingsSchema.shape })
  .strict()
  .superRefine((input, ctx) => {
    if (input.preset === 'oidc')
      ctx.addIssue({ code: 'custom', path: ['preset'], message: 'an OIDC preset' });
    requireIdpSource(input, ctx);
  });

export const connectionCreateSchema = z.discriminatedUnion('type', [oidcCreateSchema, samlCreateSchema]);
export type ConnectionCreate = z.output<typeof connectionCreateSchema>;

/**
 * PATCH: members to change; null removes an optional one. `key` and `type` never change (routing
 * rules and linked identities refer to them): make a new connection instead. The merged result is
 * checked against the connection type's rules.
 */
export const connectionUpdateSchema = z
  .object({
    preset: z.enum(CONNECTION_PRESETS).nullable().optional(),
    enabled: z.boolean().optional(),
    attribute_map: attributeMapSchema.optional(),
    client_secret: clientSecret.nullable().optional(),
    ...Object.fromEntries(
      Object.entries({ ...oidcSettingsSchema.shape, ...samlSettingsSchema.shape }).map(([name, schema]) => [
        name,
        unwrapped(schema).nullable().optional(),
      ]),
    ),
  })
  .strict();
export type ConnectionUpdate = {
  preset?: (typeof CONNECTION_PRESETS)[number] | null | undefined;
  enabled?: boolean | undefined;
  attribute_map?: Record<string, string> | undefined;
  client_secret?: string | null | undefined;
} & Record<string, unknown>;

// Defaults belong to the create; in a PATCH an absent member means "unchanged".
function unwrapped(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}
