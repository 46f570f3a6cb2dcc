import { z } from 'zod';
import { normalizeCustomHost } from '../../domain/branding/custom-hosts.js';
import type {
  DesiredCustomDomain,
  DesiredDirectory,
  DesiredDomain,
  DesiredOrganization,
} from '../../domain/config/desired-state.js';
import { directoryCreateSchema, groupRoleMapSchema } from '../../domain/directories/directory-input.js';
import { normalizeDomainPattern } from '../../domain/organizations/domain-names.js';
import {
  brandingSchema,
  domainPolicySchema,
  roleNameSchema,
  slugSchema,
} from '../../domain/organizations/organization-input.js';
import { connectionCreateSchema, connectionKeySchema } from '../../domain/organizations/connection-input.js';
import { provisioningSchema } from '../../domain/organizations/provisioning-input.js';
import { MAX_ROUTING_RULES, routingRuleSchema } from '../../domain/organizations/routing-input.js';
import { roleCreateSchema } from '../../domain/organizations/role-input.js';
import { securityPoliciesSchema } from '../../domain/organizations/security-policies.js';
import { impersonationPolicySchema } from '../../domain/impersonation/impersonation-policy.js';
import { planInputSchema, storedPlan } from '../../domain/entitlements/plan-input.js';

/**
 * The `organizations` section: one entry per slug, sub-organizations nested in the same shape.
 * Keys of gatehouse.example.yaml that later versions implement are refused by name before the
 * schema runs (see LATER_ORGANIZATION_KEYS), so here they are plain unknown fields.
 */

/** Organization keys of the example file this version does not implement yet. */
export const LATER_ORGANIZATION_KEYS: readonly string[] = [];

export const laterOrganizationKeyMessage = (key: string) =>
  `${key} is not supported yet by this version of Gatehouse; remove it`;

/** An empty block (`roles:` with nothing under it) is YAML null: the same as an empty list. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);

const domainName = z.string().transform((input, ctx) => {
  const domain = normalizeDomainPattern(input);
  if (domain) return domain;
  ctx.addIssue({
    code: 'custom',
    message: 'not a domain an organization can claim (example.com or *.example.com)',
  });
  return z.NEVER;
});

/**
 * `verified: true` is honoured, and is the default: a declarative file is applied by an operator of
 * this deployment, whose word is the attestation an environment admin gives with `--verified`.
 * A plain string is the short form of `{ domain, verified: true }`. `verified: false` leaves the
 * claim pending until its DNS record is checked (`gatehouse domains verify`).
 */
const domainClaimSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { domain: value } : value),
  z
    .object({ domain: domainName, verified: z.boolean().default(true) })
    .strict()
    .transform((claim): DesiredDomain => claim),
);

/**
 * A custom login domain (login.customer.example), like a domain claim: a plain string is the
 * short form of `{ host, verified: true }`, the operator's attestation; `verified: false` leaves
 * it pending until `gatehouse orgs custom-domains verify` sees its DNS record.
 */
const customDomainSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { host: value } : value),
  z
    .object({
      host: z.string().transform((input, ctx) => {
        const host = normalizeCustomHost(input);
        if (host) return host;
        ctx.addIssue({ code: 'custom', message: 'not a host name such as login.customer.example' });
        return z.NEVER;
      }),
      verified: z.boolean().default(true),
    })
    .strict()
    .transform((entry): DesiredCustomDomain => entry),
);

/** The file names connections and directories by `id`, the row's `key`; problems on `key` are reported on `id` (load.ts). */
const idAsKey = (value: unknown) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { id, ...rest } = value as Record<string, unknown>;
  return { ...rest, key: id };
};

/** A connection as the admin API takes it, named by `id`. */
const connectionSchema = z.preprocess(idAsKey, connectionCreateSchema);

const MIN_DIRECTORY_TOKEN_LENGTH = 32;

/**
 * An operator-chosen SCIM bearer token, normally a `${ENV_VAR}` a secret manager fills. It is the
 * only secret guarding the directory, so a short one is refused. The messages never quote it.
 */
const directoryTokenSchema = z
  .string()
  .min(
    MIN_DIRECTORY_TOKEN_LENGTH,
    `SCIM tokens need at least ${MIN_DIRECTORY_TOKEN_LENGTH} characters: the token is the only secret guarding the directory`,
  )
  .max(512, 'SCIM tokens have at most 512 characters')
  // RFC 6750 §2.1: the token travels in an Authorization header, which holds no spaces or controls.
  .regex(/^[\x21-\x7e]+$/, 'SCIM tokens are printable ASCII without spaces (they travel in an HTTP header)');

/** A directory as the admin API takes it, named by `id`, with an optional token of the operator's. */
const directorySchema = z
  .preprocess(
    idAsKey,
    directoryCreateSchema.extend({
      group_role_map: groupRoleMapSchema.nullish().transform((map) => map ?? {}),
      token: directoryTokenSchema.optional(),
    }),
  )
  .transform(({ key, group_role_map, token }): DesiredDirectory => ({
    key,
    groupRoleMap: group_role_map,
    token,
  }));

/**
 * Rules name connections by their `id` in the file and domains as the `domains` list does; which
 * connections and domains they may name is checked across the organization (organization-problems).
 */
const routingSchema = z
  .object({
    rules: list(z.object({ ...routingRuleSchema.shape, domain: domainName }).strict()).refine(
      (rules) => rules.length <= MAX_ROUTING_RULES,
      `at most ${MAX_ROUTING_RULES} rules`,
    ),
    fallback_connection: connectionKeySchema.nullish(),
  })
  .strict();

const organizationSchema = z
  .object({
    /** Display name; the slug when omitted. */
    name: z.string().min(1).max(200).optional(),
    domains: list(domainClaimSchema),
    domain_policy: domainPolicySchema.nullish(),
    /** The organization's whole list: roles it defined earlier and no longer lists are deleted. */
    roles: list(roleCreateSchema),
    default_role: roleNameSchema.optional(),
    /** The organization's whole list of upstream identity providers. */
    connections: list(connectionSchema),
    /** The organization's whole routing: rules and fallback it does not list are removed. */
    routing: routingSchema.nullish(),
    /** SCIM directories; config-owned ones the file no longer lists are deleted. */
    directories: list(directorySchema),
    provisioning: provisioningSchema.nullish(),
    branding: brandingSchema.nullish(),
    /** The organization's whole list of custom login domains; left out: the file leaves them alone. */
    custom_domains: z.array(customDomainSchema).nullish(),
    security_policies: securityPoliciesSchema.nullish(),
    /** Support impersonation, as the example file writes it; stored with the security policies. */
    impersonation: impersonationPolicySchema.nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    /** Contract entitlements: `{ tier, monthly_active_users, api_rate_limit, ... }` (domain/entitlements). */
    plan: planInputSchema.nullish(),
    get sub_organizations() {
      return organizationsSchema.nullish();
    },
  })
  .strict()
  .refine((organization) => !(organization.impersonation && organization.security_policies?.impersonation), {
    message: 'give impersonation once: at the organization or under security_policies, not both',
    path: ['impersonation'],
  });

/** Slug -> organization, as a list in file order (parents carry their children). */
export const organizationsSchema: z.ZodType<DesiredOrganization[]> = z
  .record(slugSchema, organizationSchema)
  .transform((organizations) =>
    Object.entries(organizations).map(([slug, organization]): DesiredOrganization => ({
      slug,
      name: organization.name ?? slug,
      domains: organization.domains,
      domainPolicy: organization.domain_policy ?? {},
      roles: organization.roles.map((role) => ({ ...role, description: role.description ?? null })),
      defaultRole: organization.default_role ?? null,
      securityPolicies: {
        ...organization.security_policies,
        ...(organization.impersonation ? { impersonation: organization.impersonation } : {}),
      },
      metadata: organization.metadata ?? {},
      connections: organization.connections,
      routing: {
        rules: organization.routing?.rules ?? [],
        fallbackConnection: organization.routing?.fallback_connection ?? null,
      },
      directories: organization.directories,
      provisioning: organization.provisioning ?? {},
      branding: organization.branding ?? {},
      ...(organization.custom_domains !== undefined
        ? { customDomains: organization.custom_domains ?? [] }
        : {}),
      plan: storedPlan(organization.plan ?? {}),
      children: organization.sub_organizations ?? [],
    })),
  );
