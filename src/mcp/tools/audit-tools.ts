import { z } from 'zod';
import { auditFilterOf, auditQueryFields } from '../../domain/audit/audit-query.js';
import { auditRecordView } from '../../domain/audit/audit-record-view.js';
import { MCP_READ_SCOPE } from '../mcp-resource.js';
import { pageFields, pageOf } from '../paging.js';
import { defineTool, type McpServices, type McpTool } from '../tool.js';
import { organizationRef } from './refs.js';

/** The audit log, scoped like the admin API: a delegated caller reads its subtree's records only. */
export function auditTools({ audit }: McpServices): McpTool[] {
  return [
    defineTool({
      name: 'query_audit',
      title: 'Query the audit log',
      description:
        'Audit records, oldest first, a page at a time: admin changes, sign-ins, tokens issued, key ' +
        'rotations. Filter by organization, actor, action (exact, or a prefix ending in `*`), target and time.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        ...pageFields,
        organization: organizationRef.optional(),
        ...auditQueryFields,
      }),
      run: (principal, { limit, cursor, organization, ...query }) => {
        const filter = auditFilterOf(query);
        return pageOf(
          { limit, cursor },
          (page) => audit.list(principal, organization, filter, page),
          auditRecordView,
        );
      },
    }),
  ];
}
