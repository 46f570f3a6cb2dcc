import type { PasswordHasher } from '../../lib/crypto/password.js';
import { normalizeEmail } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import type { UserRecord, UserRepository } from '../ports/repositories.js';

export interface LocalAccounts {
  /** The user when email and password match; undefined otherwise, in the same time either way. */
  authenticate(email: string, password: string): Promise<UserRecord | undefined>;
  create(input: {
    email: string;
    password?: string;
    name?: string | null;
    managedBy?: string | null;
  }): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
}

export const MIN_PASSWORD_LENGTH = 8;

/**
 * Local email + password accounts. An unknown email still costs one argon2 verification against a
 * fixed hash so response time does not tell which emails have accounts (OWASP ASVS V2.2 / V3).
 */
export function createLocalAccounts(users: UserRepository, hasher: PasswordHasher): LocalAccounts {
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hasher.hash('decoy password that never matches'));

  return {
    async authenticate(email, password) {
      const user = await users.findByEmail(normalizeEmail(email));
      if (!user?.passwordHash) {
        await hasher.verify(await decoy(), password);
        return undefined;
      }
      return (await hasher.verify(user.passwordHash, password)) ? user : undefined;
    },
    async create({ email, password, name = null, managedBy = null }) {
      if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
        throw new Error(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
      }
      return users.create({
        id: newId('usr'),
        email: normalizeEmail(email),
        emailVerified: false,
        name,
        passwordHash: password === undefined ? null : await hasher.hash(password),
        managedBy,
      });
    },
    findById: (id) => users.findById(id),
    findByEmail: (email) => users.findByEmail(normalizeEmail(email)),
  };
}
