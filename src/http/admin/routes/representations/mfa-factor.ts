import { z } from 'zod';
import type { FactorView } from '../../../../domain/mfa/factor-audit.js';
import type { UserFactors } from '../../../../domain/mfa/factors-admin.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

/** A second factor without its secret (TOTP) or public key (WebAuthn): neither leaves the server. */
export const MfaFactorJson = z
  .object({
    id: z.string(),
    type: z.enum(['totp', 'webauthn']),
    label: z.string().nullable(),
    confirmed: z.boolean().meta({ description: 'False while the enrolment awaits its first code.' }),
    created_at: timestamp,
    confirmed_at: timestamp.nullable(),
    last_used_at: timestamp.nullable(),
  })
  .meta({ id: 'MfaFactor' });

export const UserMfaJson = z
  .object({
    factors: z.array(MfaFactorJson),
    recovery_codes_remaining: z.number().int().min(0),
  })
  .meta({ id: 'UserMfa' });

export const mfaFactorJson = (factor: FactorView): z.output<typeof MfaFactorJson> => ({
  id: factor.id,
  type: factor.type,
  label: factor.label,
  confirmed: factor.confirmedAt !== null,
  created_at: iso(factor.createdAt),
  confirmed_at: isoOrNull(factor.confirmedAt),
  last_used_at: isoOrNull(factor.lastUsedAt),
});

export const userMfaJson = (user: UserFactors): z.output<typeof UserMfaJson> => ({
  factors: user.factors.map(mfaFactorJson),
  recovery_codes_remaining: user.recoveryCodesRemaining,
});
