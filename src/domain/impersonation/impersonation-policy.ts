import { z } from 'zod';

/**
 * An organization's say over support impersonation (`impersonation` in the declarative file,
 * `security_policies.impersonation` in the admin API), inherited by sub-organizations like every
 * security policy. Off unless an organization turns it on; approval by one of its admins unless
 * it waives that; never longer than an hour.
 */
export const MAX_IMPERSONATION_SECONDS = 3600;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const DURATION = /^([1-9]\d{0,4})(s|m|h)$/;

/** Seconds in `30m`, `1h`, `900s`; undefined for anything else. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** A duration of at most an hour, written like the other policy durations (`30m`, `1h`). */
export const impersonationDurationSchema = z
  .string()
  .refine((value) => durationSeconds(value) !== undefined, 'a duration such as 15m, 30m or 1h')
  .refine(
    (value) => (durationSeconds(value) ?? 0) <= MAX_IMPERSONATION_SECONDS,
    'impersonation lasts at most 1h',
  );

export const impersonationPolicySchema = z
  .object({
    allowed: z.boolean().optional(),
    /** none: a request may start at once; org_admin: an admin of the organization approves first. */
    approval: z.enum(['none', 'org_admin']).optional(),
    max_duration: impersonationDurationSchema.optional(),
  })
  .strict();
export type ImpersonationPolicyInput = z.output<typeof impersonationPolicySchema>;

export interface ImpersonationPolicy {
  allowed: boolean;
  approval: 'none' | 'org_admin';
  maxSeconds: number;
}

/** The policy with its defaults spelled out: not allowed, approval required, one hour. */
export function effectiveImpersonationPolicy(
  input: ImpersonationPolicyInput | undefined,
): ImpersonationPolicy {
  return {
    allowed: input?.allowed ?? false,
    approval: input?.approval ?? 'org_admin',
    maxSeconds: Math.min(
      durationSeconds(input?.max_duration ?? '1h') ?? MAX_IMPERSONATION_SECONDS,
      MAX_IMPERSONATION_SECONDS,
    ),
  };
}
