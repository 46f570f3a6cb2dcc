import type { Database, Repositories } from '../ports/repositories.js';

/** What a read-only attempt's repositories throw at a write they may not make. */
class NeedsTransaction extends Error {}

/** Repository methods that only read, by name. Anything else is a write. */
const READ = /^(find|list|has|count|chain|subtree)/;

/**
 * Runs `work` once on the root database with repositories that answer its reads, keep back the
 * one write named `deferred` and refuse every other write. When `work` finishes, the kept-back
 * calls are made (each one statement, atomic on its own) and its answer returned; at the first
 * other write it is stopped, nothing having been written, and `undefined` says to run it again in
 * a transaction. The reads are the ones a transaction at READ COMMITTED would make, on the
 * prepared statements of the root database instead of a transaction's session.
 */
export async function readOnlyAttempt<T>(
  db: Database,
  deferred: { repository: keyof Repositories; method: string },
  work: (repos: Repositories) => Promise<T>,
): Promise<T | undefined> {
  const kept: Array<() => Promise<unknown>> = [];
  // Also noted, not only thrown: work that caught the refusal must not count as finished.
  let refused = false;
  const repositoryView = (name: string, repository: Record<string, unknown>) =>
    new Proxy(repository, {
      get(target, method) {
        const member = target[method as string];
        if (typeof method !== 'string' || typeof member !== 'function') return member;
        if (READ.test(method)) return member;
        if (name === deferred.repository && method === deferred.method)
          return (...args: unknown[]) => {
            kept.push(() => (member as (...a: unknown[]) => Promise<unknown>)(...args));
            return Promise.resolve(undefined);
          };
        return () => {
          refused = true;
          return Promise.reject(new NeedsTransaction(`${name}.${method}`));
        };
      },
    });
  const repos = new Proxy(db, {
    get: (target, name) => {
      const repository = target[name as keyof Database];
      return typeof name === 'string' && repository && typeof repository === 'object'
        ? repositoryView(name, repository as unknown as Record<string, unknown>)
        : repository;
    },
  }) as Repositories;
  let answer: T;
  try {
    answer = await work(repos);
  } catch (error) {
    if (error instanceof NeedsTransaction) return undefined;
    throw error;
  }
  if (refused) return undefined;
  for (const write of kept) await write();
  return answer;
}
