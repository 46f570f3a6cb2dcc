import { z } from 'zod';
import { RuleViolationError } from '../errors.js';
import type { ActorType, AuditFilter } from '../ports/tenancy.js';

export const ACTOR_TYPES: readonly ActorType[] = [
  'api_key',
  'cli',
  'config',
  'user',
  'system',
  'directory',
  'client',
  'mcp_client',
  'portal',
];

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .transform((text) => new Date(text))
    .optional()
    .meta({ description });

/**
 * The filters of an audit query, the same for the admin API and `gatehouse audit list|export`.
 * `action` is exact, or a prefix when it ends in `*` (`login.*`).
 */
export const auditQueryFields = {
  actor_type: z
    .enum(ACTOR_TYPES as [ActorType, ...ActorType[]])
    .optional()
    .meta({ description: 'Who acted: api_key, cli, config, user, system, directory, client or mcp_client.' }),
  actor_id: z
    .string()
    .min(1)
    .max(254)
    .optional()
    .meta({ description: 'The actor’s id (`key_...`, `usr_...`).' }),
  action: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]{1,100}\*?$|^\*$/,
      'an action (`role.update`) or a prefix ending in `*` (`login.*`)',
    )
    .optional()
    .meta({ description: 'Exact (`membership.update`), or a prefix ending in `*` (`login.*`).' }),
  target_type: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'What was acted on: `user`, `role`...' }),
  target_id: z.string().min(1).max(254).optional().meta({ description: 'Its id.' }),
  from: instant('RFC 3339 instant: records at or after it.'),
  to: instant('RFC 3339 instant: records before it.'),
};
export const auditQuerySchema = z.strictObject(auditQueryFields);
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** The repository's filter for a query (`login.*` becomes a prefix, `*` alone matches every action). */
export function auditFilterOf(query: AuditQuery): AuditFilter {
  if (query.from && query.to && query.from >= query.to) {
    throw new RuleViolationError('`from` must be before `to`', 'invalid_time_range', 'to');
  }
  const filter: AuditFilter = {};
  if (query.actor_type) filter.actorType = query.actor_type;
  if (query.actor_id) filter.actorId = query.actor_id;
  if (query.action?.endsWith('*')) {
    const prefix = query.action.slice(0, -1);
    if (prefix) filter.actionPrefix = prefix;
  } else if (query.action) filter.action = query.action;
  if (query.target_type) filter.targetType = query.target_type;
  if (query.target_id) filter.targetId = query.target_id;
  if (query.from) filter.from = query.from;
  if (query.to) filter.to = query.to;
  return filter;
}
