import type { Command } from 'commander';
import type { OpenedDatabase } from '../../data/database.js';
import { createEntitlements } from '../../domain/entitlements/entitlements.js';
import { entitlementsView } from '../../domain/entitlements/entitlements-view.js';
import {
  createOrganizationFreeze,
  type RevokeOrganizationAccess,
} from '../../domain/organizations/organization-freeze.js';
import type { Env } from '../../config/env.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { json, table } from '../format.js';
import { withSessionServices } from '../shared-sessions.js';

const now = () => new Date();

/** Organization revocation through the shared stores (withSessionServices); loaded on demand. */
async function withRevocation<T>(
  env: Env & { REDIS_URL: string },
  io: Io,
  db: OpenedDatabase,
  work: (revoke: RevokeOrganizationAccess) => Promise<T>,
): Promise<T> {
  const { createOrganizationRevocation } = await import('../../oidc/organization-revocation.js');
  return withSessionServices(
    env,
    io,
    db,
    (services) =>
      work(
        createOrganizationRevocation({
          models: services.models,
          grants: db.grantOrganizations,
          sessions: services.sessions,
          notify: services.logoutDelivery.notify,
          logger: services.logger,
        }),
      ),
    now,
  );
}

const noRevocation: RevokeOrganizationAccess = () => {
  throw new Error('unfreezing revokes nothing');
};

/** `gatehouse orgs freeze|unfreeze|entitlements`: the kill switch and the plan's entitlements. */
export function registerOrgFreeze(orgs: Command, io: Io): void {
  registerFreeze(orgs, io);
  registerUnfreeze(orgs, io);
  registerEntitlements(orgs, io);
}

function registerFreeze(orgs: Command, io: Io): void {
  orgs
    .command('freeze')
    .description(
      'freeze an organization and its sub-organizations: end every session and grant, refuse sign-ins',
    )
    .argument('<organization>', 'slug or id')
    .requiredOption('--reason <text>', 'why (audited, shown to operators)')
    .option('--json', 'print the frozen organization and what was revoked as JSON')
    .action(async (ref: string, options: { reason: string; json?: boolean }) => {
      const env = readEnv();
      const redisUrl = env.REDIS_URL;
      if (!redisUrl) {
        throw new CliError(
          'this command needs REDIS_URL: without it sessions live inside the server process; use POST /admin/v1/organizations/{org}/freeze instead',
          EXIT_INVALID_INPUT,
        );
      }
      const result = await withDatabase(env, io, (db) =>
        withRevocation({ ...env, REDIS_URL: redisUrl }, io, db, (revoke) =>
          createOrganizationFreeze(db, revoke, now).freeze(cliPrincipal(), ref, options.reason),
        ),
      );
      if (options.json) return io.out(json(result));
      io.out(
        `Froze ${result.organization.slug}: ended ${result.revoked.sessions} session(s) and ` +
          `${result.revoked.grants} grant(s). Sign-ins are refused until \`gatehouse orgs unfreeze ${result.organization.slug}\`.\n`,
      );
    });
}

function registerUnfreeze(orgs: Command, io: Io): void {
  orgs
    .command('unfreeze')
    .description('lift a freeze: sign-ins work again (what the freeze revoked stays revoked)')
    .argument('<organization>', 'slug or id')
    .option('--json', 'print the organization as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const organization = await withDatabase(env, io, (db) =>
        createOrganizationFreeze(db, noRevocation, now).unfreeze(cliPrincipal(), ref),
      );
      if (options.json) return io.out(json(organization));
      io.out(`Unfroze ${organization.slug}: sign-ins are admitted again.\n`);
    });
}

function registerEntitlements(orgs: Command, io: Io): void {
  orgs
    .command('entitlements')
    .description("show the organization's plan: effective features and quotas, and this month's usage")
    .argument('<organization>', 'slug or id')
    .option('--json', 'print the entitlements as JSON (the admin API document)')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const view = entitlementsView(
        await withDatabase(env, io, (db) => createEntitlements(db, now).report(cliPrincipal(), ref)),
      );
      if (options.json) return io.out(json(view));
      const limit = (value: number | null) => (value === null ? 'unlimited' : String(value));
      const features = Object.entries(view.features).map(([name, on]) => [name, on ? 'yes' : 'no']);
      io.out(
        `Plan: ${view.tier ?? '(none: every feature, no quota)'}` +
          (view.access_ended ? ` — access ended (${view.access_ended})` : '') +
          `\n${table(['FEATURE', 'INCLUDED'], features)}\n` +
          table(
            ['QUOTA', 'LIMIT', `USED (${view.usage.month})`],
            [
              [
                'monthly active users',
                limit(view.quotas.monthly_active_users),
                String(view.usage.monthly_active_users),
              ],
              ['connections', limit(view.quotas.connections), String(view.usage.connections)],
              ['api rate limit', view.quotas.api_rate_limit ?? 'unlimited', '-'],
            ],
          ),
      );
    });
}
