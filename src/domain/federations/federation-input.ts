import { z } from 'zod';
import { isCidr } from '../../lib/cidr.js';
import { SLUG } from '../organizations/organization-input.js';

/** What admins (API, CLI, declarative file) may say about federations and their trust rules. */

export const federationSlugSchema = z
  .string()
  .regex(SLUG, 'lower-case letters, digits, _ and - (2 to 63)')
  // Federations are addressed by id or slug alike; the id prefix keeps the two apart.
  .refine((slug) => !slug.startsWith('fed_'), 'may not start with fed_ (the prefix of federation ids)');

const permissionName = z.string().min(1).max(200);
const cidr = z.string().refine(isCidr, 'a CIDR network such as 203.0.113.0/24 or 2001:db8::/32');
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** The conditions of a rule, shared by creation and change. */
const ruleConditions = {
  /** Exactly what a partner may do in the target; the target's roles are never given. */
  permissions: z.array(permissionName).min(1).max(200),
  requires_mfa: z.boolean().optional(),
  ip_restrictions: z.array(cidr).max(100).optional(),
  valid_from: instant.nullable().optional(),
  valid_until: instant.nullable().optional(),
};

const windowIsOrdered = (rule: { valid_from?: Date | null; valid_until?: Date | null }) =>
  !rule.valid_from || !rule.valid_until || rule.valid_from < rule.valid_until;
const WINDOW = { message: 'valid_until must be after valid_from', path: ['valid_until'] };

export const trustRuleCreateSchema = z
  .object({
    /** Organization id or slug: whose members get access. */
    source: z.string().min(1),
    /** Organization id or slug: where they get it. */
    target: z.string().min(1),
    ...ruleConditions,
  })
  .strict()
  .refine(windowIsOrdered, WINDOW);
export type TrustRuleCreate = z.output<typeof trustRuleCreateSchema>;

export const trustRuleChangeSchema = z
  .object({ ...ruleConditions, permissions: ruleConditions.permissions.optional() })
  .strict()
  .refine(windowIsOrdered, WINDOW);
export type TrustRuleChange = z.output<typeof trustRuleChangeSchema>;

export const federationCreateSchema = z
  .object({
    slug: federationSlugSchema,
    name: z.string().min(1).max(200).optional(),
    /** Organization ids or slugs. */
    members: z.array(z.string().min(1)).max(500).optional(),
  })
  .strict();
export type FederationCreate = z.output<typeof federationCreateSchema>;

export const federationChangeSchema = z
  .object({ slug: federationSlugSchema.optional(), name: z.string().min(1).max(200).nullable().optional() })
  .strict();
export type FederationChange = z.output<typeof federationChangeSchema>;

export const freezeSchema = z.object({ reason: z.string().min(1).max(500) }).strict();

export const memberAddSchema = z.object({ organization: z.string().min(1) }).strict();
