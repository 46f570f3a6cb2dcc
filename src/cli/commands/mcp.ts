import { resolveTxt } from 'node:dns/promises';
import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { OpenedDatabase } from '../../data/database.js';
import { createAdminServices } from '../../domain/organizations/admin-services.js';
import { generateSpCredential } from '../../federation/saml/index.js';
import type { SessionsAdmin } from '../../domain/sessions/sessions-admin.js';
import { MCP_SCOPES } from '../../mcp/mcp-resource.js';
import { cliPrincipal } from '../admin-principal.js';
import { configDeps, readEnv, withDatabase, type Io } from '../context.js';
import { withSharedSessions } from '../shared-sessions.js';

/**
 * The session registry (Redis) when REDIS_URL names one; without it sessions live inside the
 * server process and the session tools are left out.
 */
function withSessionsIfShared<T>(
  env: Env,
  io: Io,
  db: OpenedDatabase,
  work: (sessions: SessionsAdmin | undefined) => Promise<T>,
): Promise<T> {
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) return work(undefined);
  return withSharedSessions({ ...env, REDIS_URL: redisUrl }, io, db, work);
}

/**
 * `gatehouse mcp`: the MCP admin tools on stdin/stdout, for a desktop MCP client started on the
 * operator's machine. Whoever runs it has the database and the key-encryption key, so it acts as
 * the operator (audited as `cli`) with every scope; the HTTP endpoint at /mcp is for everyone else.
 */
export function registerMcp(program: Command, io: Io): void {
  program
    .command('mcp')
    .description('serve the admin tools over the Model Context Protocol on stdin/stdout (stdio transport)')
    .action(async () => {
      const env = readEnv();
      const [{ serveStdio }, { adminTools }] = await Promise.all([
        import('../../mcp/stdio.js'),
        import('../../mcp/tools/index.js'),
      ]);
      await withDatabase(env, io, (db) =>
        withSessionsIfShared(env, io, db, async (sessions) => {
          const deps = { ...configDeps(env), spCredential: generateSpCredential, dns: { resolveTxt } };
          const admin = createAdminServices(db, deps);
          const caller = { principal: cliPrincipal(), scopes: new Set<string>(MCP_SCOPES) };
          // stdout is the protocol channel: failures go to stderr.
          await serveStdio(adminTools({ ...admin, sessions }), caller, (error, tool) =>
            io.err(`gatehouse: ${tool} failed: ${error instanceof Error ? error.message : String(error)}\n`),
          );
        }),
      );
    });
}
