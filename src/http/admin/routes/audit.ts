import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { z } from 'zod';
import { auditFilterOf, auditQueryFields, type AuditQuery } from '../../../domain/audit/audit-query.js';
import type { AdminPrincipal } from '../../../domain/organizations/admin-principal.js';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import type { AuditRecord } from '../../../domain/ports/tenancy.js';
import { decodeCursor, pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute, type RouteResult } from '../route.js';
import { AuditRecordJson, auditRecordJson } from './audit-record-json.js';
import { organizationParams } from './params.js';
import { pageResult, problems } from './responses.js';

const tags = ['audit'];
export const JSON_LINES = 'application/x-ndjson';

const query = z.strictObject({
  ...pageQuery,
  ...auditQueryFields,
  format: z.enum(['json', 'jsonl']).default('json').meta({
    description: '`jsonl`: every matching record as JSON lines, streamed (`limit` does not apply).',
  }),
});
type Query = z.output<typeof query>;

const responses = {
  200: {
    description:
      'A page of records, oldest first; or, with `format=jsonl` or `Accept: application/x-ndjson`, ' +
      'every matching record from `cursor` on as JSON lines (one AuditRecord per line).',
    schema: pageOf(AuditRecordJson),
  },
  ...problems.notFound,
  422: { description: '`invalid_time_range`: `from` is not before `to`.' },
};

/** RFC 3339 instants and exact or prefix (`login.*`) actions; the rest passes through. */
const filterOf = ({ limit: _limit, cursor: _cursor, format: _format, ...filters }: Query) =>
  auditFilterOf(filters as AuditQuery);

const wantsJsonLines = (ctx: Context, format: Query['format']) =>
  format === 'jsonl' || ctx.accepts('application/json', JSON_LINES) === JSON_LINES;

async function* jsonLines(records: AsyncIterable<AuditRecord>) {
  for await (const record of records) yield `${JSON.stringify(auditRecordJson(record))}\n`;
}

/** Reads of the audit log: a page, or the whole selection streamed as JSON lines. */
function auditHandler(audit: AdminServices['audit']) {
  return async (principal: AdminPrincipal, organization: string | undefined, query: Query, ctx: Context) => {
    const filter = filterOf(query);
    if (!wantsJsonLines(ctx, query.format)) {
      return pageResult(query, (page) => audit.list(principal, organization, filter, page), auditRecordJson);
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const records = await audit.export(principal, organization, filter, after);
    const result: RouteResult = {
      status: 200,
      body: Readable.from(jsonLines(records)),
      headers: { 'Content-Type': `${JSON_LINES}; charset=utf-8` },
    };
    return result;
  };
}

/**
 * The audit log: every admin change, sign-in, token issued and key rotation, hash-chained per
 * organization (see `gatehouse audit verify`). Environment keys read all of it; an organization's
 * key reads its own subtree.
 */
export function auditRoutes({ audit }: AdminServices): AdminRoute[] {
  const handle = auditHandler(audit);
  return [
    defineRoute({
      method: 'GET',
      path: '/audit',
      summary: 'List audit records across the environment (or the API key’s subtree)',
      tags,
      query,
      responses,
      handler: ({ principal, query, ctx }) => handle(principal, undefined, query, ctx),
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/audit',
      summary: "List an organization's audit records",
      tags,
      params: organizationParams,
      query,
      responses,
      handler: ({ principal, params, query, ctx }) => handle(principal, params.organization, query, ctx),
    }),
  ];
}
