import { z } from 'zod';
import { routingSettingsSchema } from '../../../../domain/organizations/routing-input.js';
import { explanationDocument } from '../../../../domain/realm-discovery/explanation.js';
import type { NamedDecision } from '../../../../domain/realm-discovery/routing-loader.js';

/** The body of PUT and the answer of GET and PUT: the same document, so a GET can be edited and put back. */
export const RoutingJson = routingSettingsSchema.meta({
  id: 'Routing',
  description:
    'Rules in declaration order (lower priority first; ties go to the more specific domain, then to the earlier rule) and the fallback connection, by key.',
});

const ExplainLineJson = z.object({
  step: z.enum(['input', 'hint', 'organization', 'rule', 'fallback', 'outcome']),
  matched: z.boolean(),
  selected: z.boolean().optional().meta({ description: 'On rule lines that matched: whether it won.' }),
  why: z.string(),
  rule: z
    .object({
      number: z.int().meta({ description: 'From 1, in declaration order.' }),
      domain: z.string(),
      connection: z.string().meta({ description: 'The connection key.' }),
      connection_id: z.string(),
      priority: z.int(),
    })
    .optional(),
});

export const ExplainJson = z
  .object({
    decision: z.object({
      kind: z.enum(['connection', 'local', 'refused']),
      connection: z.object({ id: z.string(), key: z.string() }).nullable(),
      organization: z.object({ id: z.string(), slug: z.string() }).nullable(),
      reason: z.string(),
    }),
    explain: z.array(ExplainLineJson),
  })
  .meta({ id: 'RoutingExplanation' });

/** The same document `gatehouse explain --json` prints. */
export const explainJson = (named: NamedDecision): z.output<typeof ExplainJson> => explanationDocument(named);
