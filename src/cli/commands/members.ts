import type { Command } from 'commander';
import { z } from 'zod';
import { allPages } from '../../domain/all-pages.js';
import {
  membershipCreateSchema,
  membershipStatusSchema,
} from '../../domain/organizations/membership-input.js';
import { createMembershipsAdmin } from '../../domain/organizations/memberships-admin.js';
import { roleNameSchema } from '../../domain/organizations/organization-input.js';
import type { MembershipRecord } from '../../domain/ports/tenancy.js';
import { cliPrincipal, collect, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { formatTime, json, table } from '../format.js';

/** A user is named by email or id (usr_...). */
const userInput = (user: string) => (user.startsWith('usr_') ? { user_id: user } : { email: user });

const listOptionsSchema = z
  .object({ status: membershipStatusSchema.optional(), role: roleNameSchema.optional() })
  .strict();

export function registerMembers(program: Command, io: Io): void {
  const members = program
    .command('members')
    .description("users' memberships in an organization, with the roles they hold there");

  members
    .command('add')
    .description("add a user to an organization; without --role the organization's default role is given")
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--user <email>', 'email or user id (usr_...) of an existing user')
    .option(
      '--role <name>',
      'a role the organization offers (its own or inherited); repeat for several',
      collect,
    )
    .option('--status <status>', 'active (default), pending or suspended')
    .option('--json', 'print the membership as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatehouse members add --organization acme --user alice@acme.test --role admin --role viewer\n',
    )
    .action(
      async (options: {
        organization: string;
        user: string;
        role?: string[];
        status?: string;
        json?: boolean;
      }) => {
        const input = parseOptions(
          membershipCreateSchema,
          { ...userInput(options.user), roles: options.role, status: options.status },
          { user_id: '--user', email: '--user', roles: '--role', status: '--status' },
        );
        const env = readEnv();
        const membership = await withDatabase(env, io, (db) =>
          createMembershipsAdmin(db).add(cliPrincipal(), options.organization, input),
        );
        if (options.json) {
          io.out(json(membership));
          return;
        }
        const roles = membership.roles.length > 0 ? `roles ${membership.roles.join(', ')}` : 'no roles';
        io.out(`added ${options.user} to ${options.organization} (${membership.status}, ${roles})\n`);
      },
    );

  members
    .command('list')
    .description('list the members of an organization')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .option('--status <status>', 'only memberships in this status: active, pending or suspended')
    .option('--role <name>', 'only members holding this role')
    .option('--json', 'print the memberships as JSON')
    .action(async (options: { organization: string; status?: string; role?: string; json?: boolean }) => {
      const filter = parseOptions(
        listOptionsSchema,
        { status: options.status, role: options.role },
        { status: '--status', role: '--role' },
      );
      const env = readEnv();
      const listed = await withDatabase(env, io, async (db) => {
        const admin = createMembershipsAdmin(db);
        const principal = cliPrincipal();
        const rows = await allPages((page) => admin.list(principal, options.organization, filter, page));
        const emails = new Map<string, string>();
        for (const row of rows) emails.set(row.userId, (await db.users.findById(row.userId))?.email ?? '');
        return rows.map((row) => ({ ...row, email: emails.get(row.userId) ?? null }));
      });
      io.out(options.json ? json(listed) : renderMembers(listed, options.organization));
    });

  members
    .command('remove')
    .description('remove a user from an organization; tokens for it stop working at their next use')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--user <email>', 'email or user id (usr_...)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { organization: string; user: string; json?: boolean }) => {
      const env = readEnv();
      await withDatabase(env, io, (db) =>
        createMembershipsAdmin(db).remove(cliPrincipal(), options.organization, options.user),
      );
      io.out(
        options.json
          ? json({ removed: true, organization: options.organization, user: options.user })
          : `removed ${options.user} from ${options.organization}\n`,
      );
    });
}

function renderMembers(
  rows: ReadonlyArray<MembershipRecord & { email: string | null }>,
  organization: string,
) {
  if (rows.length === 0) return `${organization} has no members yet.\n`;
  return table(
    ['USER', 'STATUS', 'ROLES', 'SINCE', 'USER ID'],
    rows.map((row) => [
      row.email ?? '-',
      row.status,
      row.roles.join(', ') || '-',
      formatTime(row.createdAt),
      row.userId,
    ]),
  );
}
