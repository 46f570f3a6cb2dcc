import { z } from 'zod';
import { clientDefinitionSchema } from '../../domain/clients/client-definition.js';
import { MIN_PASSWORD_LENGTH } from '../../domain/accounts/local-accounts.js';
import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { federationsSchema } from './federation-schema.js';
import { organizationsSchema } from './organization-schema.js';

/**
 * The declarative file (`gatehouse apply -f`, GATEHOUSE_CONFIG) as far as this version implements it.
 * Field names follow gatehouse.example.yaml; every object is strict so a typo is an error, not a no-op.
 */

/** argon2id in PHC string format, as produced by the `argon2` package and most other libraries. */
const ARGON2ID_PHC = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

export const userDefinitionSchema = z
  .object({
    email: z
      .string()
      .refine((value) => looksLikeEmail(normalizeEmail(value)), 'not an email address')
      .transform(normalizeEmail),
    /** Plain password, normally a ${ENV_VAR} reference; hashed with argon2id before it is stored. */
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `passwords need at least ${MIN_PASSWORD_LENGTH} characters`)
      .optional(),
    password_hash: z
      .string()
      .regex(ARGON2ID_PHC, 'must be an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)')
      .optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((user, ctx) => {
    if (user.password !== undefined && user.password_hash !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password_hash'],
        message: 'give either password or password_hash, not both',
      });
    }
  });

/**
 * Sections of gatehouse.example.yaml that later versions implement (none left). They are refused
 * rather than ignored: silently skipping a section would let an operator believe it was in place.
 */
export const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {};

export const declarativeConfigSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    // An empty section (`users:` with nothing under it) is YAML null: the same as an empty list.
    clients: z
      .array(clientDefinitionSchema)
      .nullish()
      .transform((clients) => clients ?? []),
    users: z
      .array(userDefinitionSchema)
      .nullish()
      .transform((users) => users ?? []),
    organizations: organizationsSchema.nullish().transform((organizations) => organizations ?? []),
    // Absent or empty: no federations (config-owned ones are removed), like the other sections.
    federations: federationsSchema.nullish().transform((federations) => federations ?? []),
  })
  .strict();

export type DeclarativeConfig = z.output<typeof declarativeConfigSchema>;
export type UserDefinition = z.output<typeof userDefinitionSchema>;
