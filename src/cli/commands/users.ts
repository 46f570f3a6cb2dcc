import type { Command } from 'commander';
import { createLocalAccounts, MIN_PASSWORD_LENGTH } from '../../domain/accounts/local-accounts.js';
import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { createArgon2Hasher } from '../../lib/crypto/password.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { json } from '../format.js';

interface CreateOptions {
  email: string;
  name?: string;
  passwordStdin?: boolean;
}

export function registerUsers(program: Command, io: Io, readStdin: () => Promise<string>): void {
  const users = program.command('users').description('local accounts');
  users
    .command('create')
    .description('create a local account (not managed by the declarative file)')
    .requiredOption('--email <email>', 'email address of the account')
    .option('--name <name>', 'display name')
    // A password argument would land in shell history and `ps`: stdin only.
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print the user as JSON')
    .action(async (options: CreateOptions & { json?: boolean }) => {
      const email = normalizeEmail(options.email);
      if (!looksLikeEmail(email)) throw new CliError(`--email: not an email address`, EXIT_INVALID_INPUT);
      const password = options.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
        throw new CliError(
          `the password needs at least ${MIN_PASSWORD_LENGTH} characters`,
          EXIT_INVALID_INPUT,
        );
      }
      const env = readEnv();
      const user = await withDatabase(env, io, async (db) => {
        if (await db.users.findByEmail(email))
          throw new CliError(`a user with email ${email} already exists`, EXIT_INVALID_INPUT);
        return createLocalAccounts(db.users, createArgon2Hasher()).create({
          email,
          name: options.name ?? null,
          ...(password === undefined ? {} : { password }),
        });
      });
      io.out(
        options.json
          ? json({ id: user.id, email: user.email, name: user.name })
          : `created user ${user.id} (${user.email})\n`,
      );
    });
}
