import { z } from 'zod';
import { HEX_COLOR } from '../branding/brand-colors.js';
import { isAllowedLogoUrl } from '../branding/logo-url.js';
import { planInputSchema } from '../entitlements/plan-input.js';
import { securityPoliciesSchema } from './security-policies.js';

/** What admins (API, CLI, declarative file) may say about an organization. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{1,62}$/;
export const slugSchema = z
  .string()
  .regex(SLUG, 'lower-case letters, digits, _ and - (2 to 63)')
  // Organizations are addressed by id or slug alike; the id prefix keeps the two apart.
  .refine((slug) => !slug.startsWith('org_'), 'may not start with org_ (the prefix of organization ids)');

export const domainPolicySchema = z
  .object({
    sso_required: z.boolean().optional(),
    auto_join: z.boolean().optional(),
    allow_local_passwords: z.boolean().optional(),
  })
  .strict();

const colorSchema = z.string().regex(HEX_COLOR, 'a hex colour such as #1e3a8a');

/**
 * What the sign-in pages show for the organization (and its sub-organizations, field by field,
 * where they set none: domain/branding/effective-branding.ts). The logo is an https URL or a path
 * on this server (`/assets/logo.png`): never `javascript:` or `data:`, since pages render it as an
 * image source (domain/branding/logo-url.ts).
 */
export const brandingSchema = z
  .object({
    display_name: z.string().min(1).max(200).optional(),
    logo_url: z
      .string()
      .max(2048)
      .refine(isAllowedLogoUrl, 'an https URL or a path on this server such as /assets/logo.png')
      .optional(),
    primary_color: colorSchema.optional(),
    background_color: colorSchema.optional(),
  })
  .strict();
export type BrandingInput = z.output<typeof brandingSchema>;

const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const roleNameSchema = z.string().regex(ROLE_NAME, 'letters, digits, _ . - (1 to 64)');

export const organizationCreateSchema = z
  .object({
    slug: slugSchema,
    name: z.string().min(1).max(200),
    /** Id or slug of the parent: the new organization is its sub-organization. */
    parent: z.string().min(1).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    domain_policy: domainPolicySchema.optional(),
    security_policies: securityPoliciesSchema.optional(),
    default_role: roleNameSchema.optional(),
    branding: brandingSchema.optional(),
    /** Contract entitlements: top-level organizations only, set by an operator. */
    plan: planInputSchema.optional(),
  })
  .strict();
export type OrganizationCreate = z.output<typeof organizationCreateSchema>;

export const organizationUpdateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    status: z.enum(['active', 'suspended']).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    domain_policy: domainPolicySchema.optional(),
    security_policies: securityPoliciesSchema.optional(),
    default_role: roleNameSchema.nullable().optional(),
    /** Replaces the whole branding; `{}` shows none. */
    branding: brandingSchema.optional(),
    /** Replaces the whole plan; `{}` removes it (no limits). Operators only, top-level organizations only. */
    plan: planInputSchema.optional(),
  })
  .strict();
export type OrganizationUpdate = z.output<typeof organizationUpdateSchema>;
