import type { Command } from 'commander';
import { createSigningKeys } from '../../domain/keys/signing-keys.js';
import type { SigningKeyRecord, SigningKeyState } from '../../domain/ports/repositories.js';
import { cliPrincipal } from '../admin-principal.js';
import { configDeps, readEnv, withDatabase, type Io } from '../context.js';
import { formatAge, formatTime, json, table } from '../format.js';

const STATE_ORDER: readonly SigningKeyState[] = ['current', 'next', 'previous', 'retired'];

export function registerKeys(program: Command, io: Io): void {
  const keys = program.command('keys').description('token signing keys');
  keys
    .command('list')
    .description('list signing keys with their state and age')
    .option('--json', 'print the keys as JSON')
    .action(async (options: { json?: boolean }) => {
      const env = readEnv();
      const { envelope } = configDeps(env);
      const list = await withDatabase(env, io, (db) => createSigningKeys(db, envelope).list());
      io.out(renderKeys(list, options.json ?? false));
    });
  keys
    .command('rotate')
    .description('next becomes current, current becomes previous, previous is retired; a new next is made')
    .option('--json', 'print the resulting keys as JSON')
    .action(async (options: { json?: boolean }) => {
      const env = readEnv();
      const { envelope } = configDeps(env);
      const list = await withDatabase(env, io, async (db) => {
        const signingKeys = createSigningKeys(db, envelope);
        // On a fresh database there is no next key to promote: create the set first.
        await signingKeys.ensure();
        await signingKeys.rotate(cliPrincipal().actor);
        return signingKeys.list();
      });
      if (!options.json) io.out('Rotated the signing keys. Published keys now:\n');
      io.out(
        renderKeys(
          options.json ? list : list.filter((key) => key.state !== 'retired'),
          options.json ?? false,
        ),
      );
    });
}

/** Public facts only: the private JWK never leaves the database, not even encrypted. */
function renderKeys(list: readonly SigningKeyRecord[], asJson: boolean): string {
  const sorted = [...list].sort(
    (a, b) =>
      STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
      b.createdAt.getTime() - a.createdAt.getTime(),
  );
  if (asJson) {
    return json(
      sorted.map(({ kid, alg, state, createdAt, activatedAt, deactivatedAt }) => ({
        kid,
        alg,
        state,
        createdAt,
        activatedAt,
        deactivatedAt,
      })),
    );
  }
  if (sorted.length === 0)
    return 'No signing keys yet; the server creates them on first start (or run `gatehouse keys rotate`).\n';
  const now = Date.now();
  const rows = sorted.map((key) => [
    key.kid,
    key.alg,
    key.state,
    formatTime(key.createdAt),
    formatAge(now - key.createdAt.getTime()),
  ]);
  return table(['KID', 'ALG', 'STATE', 'CREATED', 'AGE'], rows);
}
