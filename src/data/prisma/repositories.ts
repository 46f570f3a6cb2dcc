import type { Repositories } from '../../domain/ports/repositories.js';
import { createClientRepository } from './client-repository.js';
import type { PrismaExecutor } from './prisma-client.js';
import { createSigningKeyRepository } from './signing-key-repository.js';
import { createUserRepository } from './user-repository.js';

/** Bound to either the root client or a transaction client: same code, different scope. */
export function createRepositories(db: PrismaExecutor): Repositories {
  return {
    users: createUserRepository(db),
    clients: createClientRepository(db),
    signingKeys: createSigningKeyRepository(db),
  };
}
