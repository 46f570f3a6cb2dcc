import type { Command } from 'commander';
import type { FactorView } from '../../domain/mfa/factor-audit.js';
import { createFactorsAdmin } from '../../domain/mfa/factors-admin.js';
import { cliPrincipal } from '../admin-principal.js';
import { createSignInThrottle } from '../../domain/accounts/sign-in-throttle.js';
import { readEnv, withDatabase, withStore, type Io } from '../context.js';
import { formatTime, json, table } from '../format.js';

const timeOrDash = (date: Date | null) => (date ? formatTime(date) : '-');

function factorRow(factor: FactorView): string[] {
  return [
    factor.id,
    factor.type,
    factor.label ?? '-',
    factor.confirmedAt ? 'confirmed' : 'pending',
    formatTime(factor.createdAt),
    timeOrDash(factor.lastUsedAt),
  ];
}

/** `gatehouse mfa`: a user's second factors, for the operator helping someone who lost theirs. */
export function registerMfa(program: Command, io: Io): void {
  const mfa = program
    .command('mfa')
    .description("a user's second factors (TOTP, WebAuthn) and recovery codes");
  const run = <T>(work: (admin: ReturnType<typeof createFactorsAdmin>) => Promise<T>) =>
    withDatabase(readEnv(), io, (db) => work(createFactorsAdmin(db)));

  mfa
    .command('list')
    .description("list a user's second factors (never their secrets) and unused recovery codes")
    .requiredOption('--user <user>', 'email or user id')
    .option('--json', 'print them as JSON')
    .action(async (options: { user: string; json?: boolean }) => {
      const found = await run((admin) => admin.list(cliPrincipal(), options.user));
      if (options.json) return io.out(json(found));
      const codes = `${found.recoveryCodesRemaining} unused recovery codes\n`;
      if (found.factors.length === 0) return io.out(`${options.user} has no second factors; ${codes}`);
      const rows = found.factors.map(factorRow);
      io.out(table(['ID', 'TYPE', 'LABEL', 'STATE', 'CREATED', 'LAST USED'], rows) + codes);
    });

  mfa
    .command('reset')
    .description('remove all second factors and recovery codes; the user enrols again where policy requires')
    .requiredOption('--user <user>', 'email or user id')
    .option('--json', 'print the result as JSON')
    .action(async (options: { user: string; json?: boolean }) => {
      await run((admin) => admin.reset(cliPrincipal(), options.user));
      io.out(
        options.json
          ? json({ user: options.user, reset: true })
          : `reset the second factors of ${options.user}\n`,
      );
    });

  mfa
    .command('unlock')
    .description('lift the wait that wrong passwords or codes put on a user (needs REDIS_URL)')
    .requiredOption('--user <user>', 'email or user id')
    .option('--json', 'print the result as JSON')
    .action(async (options: { user: string; json?: boolean }) => {
      const env = readEnv();
      await withStore(env, io, (store) =>
        withDatabase(env, io, (db) =>
          createFactorsAdmin(db, { throttle: createSignInThrottle(store) }).unlock(
            cliPrincipal(),
            options.user,
          ),
        ),
      );
      io.out(options.json ? json({ user: options.user, unlocked: true }) : `unlocked ${options.user}\n`);
    });
}
