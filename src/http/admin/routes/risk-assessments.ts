import { z } from 'zod';
import type { RiskAssessmentsAdmin } from '../../../domain/risk/risk-assessments-admin.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ref } from './params.js';
import { timestamp } from './representations/timestamps.js';
import { found, ok } from './responses.js';

const tags = ['risk'];

export const RiskAssessmentJson = z
  .object({
    id: z.string(),
    decision: z.enum(['allow', 'mfa', 'deny']),
    score: z.number().int().meta({ description: 'The sum of the signals’ points.' }),
    thresholds: z
      .object({ mfa_at: z.number().int(), deny_at: z.number().int() })
      .meta({ description: "The organization's security policy `risk` as it stands now." }),
    signals: z.array(
      z.object({
        name: z.string().meta({ description: 'new_device, new_network, impossible_travel, ...' }),
        points: z.number().int(),
        detail: z.string(),
      }),
    ),
    outcome: z
      .enum(['succeeded', 'failed'])
      .nullable()
      .meta({ description: 'What became of the sign-in; null while (or if) it was never finished.' }),
    organization_id: z.string().nullable(),
    user_id: z.string().nullable(),
    ip: z.string(),
    country: z
      .string()
      .nullable()
      .meta({ description: 'ISO 3166-1 alpha-2, from the offline GeoIP database.' }),
    created_at: timestamp,
  })
  .meta({ id: 'RiskAssessment' });

/**
 * Why a sign-in was allowed, asked for a second factor or refused: the assessment named by the
 * `login.risk_assessed` and `login.succeeded` audit records. A delegated key sees its
 * organizations' assessments only; any other is not found.
 */
export function riskAssessmentRoutes({
  riskAssessments,
}: {
  riskAssessments: RiskAssessmentsAdmin;
}): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/risk-assessments/:assessment',
      summary: "Explain a sign-in's risk decision",
      tags,
      params: z.strictObject({ assessment: ref('Risk assessment id (`rsk_...`).') }),
      responses: found(RiskAssessmentJson, 'The decision, its score, thresholds and signals.'),
      handler: async ({ principal, params }) =>
        ok(await riskAssessments.explain(principal, params.assessment)),
    }),
  ];
}
