import { z } from 'zod';
import type { DesiredFederation } from '../../domain/config/desired-state.js';
import { federationSlugSchema } from '../../domain/federations/federation-input.js';
import { isCidr } from '../../lib/cidr.js';
import { slugSchema } from '../../domain/organizations/organization-input.js';

/**
 * The `federations` section (gatehouse.example.yaml): slug -> members (organization slugs) and
 * trust rules between them. The file's members and rules are the federation's whole lists.
 */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date(), z.date()])
  .transform((value) => (value instanceof Date ? value : new Date(value)));

const ruleSchema = z
  .object({
    source: slugSchema,
    target: slugSchema,
    permissions: z.array(z.string().min(1).max(200)).min(1).max(200),
    requires_mfa: z.boolean().optional(),
    ip_restrictions: z
      .array(z.string().refine(isCidr, 'a CIDR network such as 203.0.113.0/24 or 2001:db8::/32'))
      .max(100)
      .optional(),
    valid_from: instant.nullish(),
    valid_until: instant.nullish(),
  })
  .strict()
  .refine((rule) => rule.source !== rule.target, {
    message: 'source and target must be different organizations',
    path: ['target'],
  })
  .refine((rule) => !rule.valid_from || !rule.valid_until || rule.valid_from < rule.valid_until, {
    message: 'valid_until must be after valid_from',
    path: ['valid_until'],
  });

const federationSchema = z
  .object({
    name: z.string().min(1).max(200).nullish(),
    members: z.array(slugSchema).max(500).nullish(),
    rules: z.array(ruleSchema).max(500).nullish(),
  })
  .strict()
  .superRefine((federation, ctx) => {
    const members = new Set(federation.members ?? []);
    const seen = new Set<string>();
    (federation.rules ?? []).forEach((rule, index) => {
      for (const end of ['source', 'target'] as const) {
        if (!members.has(rule[end])) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, end],
            message: `${rule[end]} is not listed under members`,
          });
        }
      }
      const key = `${rule.source} -> ${rule.target}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index], message: `a second rule for ${key}` });
      }
      seen.add(key);
    });
  });

/** Slug -> federation, as a list in file order. */
export const federationsSchema: z.ZodType<DesiredFederation[]> = z
  .record(federationSlugSchema, federationSchema)
  .transform((federations) =>
    Object.entries(federations).map(([slug, federation]): DesiredFederation => ({
      slug,
      name: federation.name ?? null,
      members: [...new Set(federation.members ?? [])],
      rules: (federation.rules ?? []).map((rule) => ({
        source: rule.source,
        target: rule.target,
        permissions: [...new Set(rule.permissions)],
        requiresMfa: rule.requires_mfa ?? false,
        ipRestrictions: rule.ip_restrictions ?? [],
        validFrom: rule.valid_from ?? null,
        validUntil: rule.valid_until ?? null,
      })),
    })),
  );
