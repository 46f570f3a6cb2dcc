import { z } from 'zod';
import type { OrganizationPlan } from '../ports/tenancy.js';
import { parseRate } from './rate.js';
import { FEATURES, TIERS } from './tiers.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 date (`2027-01-31`) or date-time with an offset (`2027-01-31T18:00:00Z`). */
const endDate = z
  .string()
  .refine(
    (value) =>
      (DATE_ONLY.test(value) || /T.*(Z|[+-]\d{2}:\d{2})$/.test(value)) && !Number.isNaN(Date.parse(value)),
    'an ISO 8601 date (2027-01-31) or date-time with an offset (2027-01-31T18:00:00Z)',
  );

const quota = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .nullable()
    .optional()
    .meta({ description: `${what}; null: unlimited; absent: the tier's default.` });

/**
 * A contract's entitlements as admins (API, CLI, declarative file) write them: the tier's defaults
 * (tiers.ts) with overrides. `{}` removes the plan: every feature on and no quota.
 */
export const planInputSchema = z
  .object({
    tier: z.enum(TIERS).optional(),
    features: z.partialRecord(z.enum(FEATURES), z.boolean()).optional(),
    monthly_active_users: quota('Distinct users signing in per calendar month (UTC)'),
    connections: quota('Upstream SSO connections across the contract'),
    api_rate_limit: z
      .string()
      .refine((value) => parseRate(value) !== undefined, 'N/s, N/m or N/h, such as 50/s')
      .nullable()
      .optional()
      .meta({ description: 'Admin API, SCIM and token requests per window; null: unlimited.' }),
    trial_ends_at: endDate.nullable().optional(),
    contract_ends_at: endDate.nullable().optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    if (Object.keys(plan).length > 0 && plan.tier === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['tier'],
        message: 'basic, pro or enterprise; or {} for no plan',
      });
  })
  .meta({ id: 'Plan' });
export type PlanInput = z.output<typeof planInputSchema>;

/** As the row stores it: JSON, without absent members. */
export const storedPlan = (plan: PlanInput): OrganizationPlan =>
  JSON.parse(JSON.stringify(plan)) as OrganizationPlan;
