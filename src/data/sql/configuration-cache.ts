import type { KeptConfiguration } from '../../domain/ports/kept-configuration.js';
import { deepFrozen } from '../../lib/deep-frozen.js';

/** The tag of every user's kept standing: a membership written here forgets them all. */
export const MEMBERSHIPS_TAG = 'memberships';
/** The tag of one user's kept standing, and the payload announcing a change to their memberships. */
export const userTag = (userId: string) => `user:${userId}`;

/**
 * What operators configure and every sign-in or token request reads (organizations and their
 * chains, domains, connections, routing rules, roles, clients), kept across requests in this
 * process: each of those reads would otherwise be a database round trip, several per sign-in.
 * A user's standing in an organization (their membership there, with the organization's chain
 * and roles) is kept the same way, tagged with the user: a change to memberships is announced
 * for its user (`user:<id>`, migration 20261201060000_memberships_announce) and forgets only what
 * was kept for that user.
 *
 * It never serves what the database no longer holds for longer than a notification takes. Every
 * change to those tables, by any process (another replica, the CLI, psql), is announced by a
 * trigger on commit (`gh_configuration`, migration 20261201040000_configuration_notify); on each
 * announcement, and after each of this process's own writes, the cache forgets everything. While
 * announcements are not seen to arrive (configuration-announcements.ts), it keeps nothing and
 * every read goes to the database.
 */
export interface ConfigurationCache extends KeptConfiguration {
  /** Forgets every answer: a change was announced or written here. */
  forgetAll(): void;
  /** Forgets the answers kept with `tag`: a change that touches only those. */
  forget(tag: string): void;
  /** Whether announcements are being received: keeps answers only while they are. */
  setListening(listening: boolean): void;
}

export interface ConfigurationCacheOptions {
  /**
   * Bounds the memory: past this many answers, the oldest kept is forgotten (so that many users'
   * standing never pushes the configuration out all at once).
   */
  maxEntries?: number;
  /** Bounds the age of an answer whatever happens to the announcements. */
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  answer: Promise<unknown>;
  at: number;
  tags: readonly string[];
}

export function createConfigurationCache(options: ConfigurationCacheOptions = {}): ConfigurationCache {
  const { maxEntries = 10_000, maxAgeMs = 60_000, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  /** The keys of the entries kept with each tag. */
  const tagged = new Map<string, Set<string>>();
  let listening = false;
  const forgetAll = () => {
    entries.clear();
    tagged.clear();
  };
  const keep = (key: string, entry: Entry) => {
    drop(key);
    entries.set(key, entry);
    for (const tag of entry.tags) tagged.set(tag, (tagged.get(tag) ?? new Set<string>()).add(key));
  };
  // Unlisted from its tags as well, so that the index never outgrows what is kept.
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const tag of entry.tags) {
      const keys = tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) tagged.delete(tag);
    }
  };
  return {
    keeping: () => listening,
    remembered<T>(key: string, read: () => Promise<T>, tags: readonly string[] = []): Promise<T> {
      if (!listening) return read();
      const found = entries.get(key);
      if (found && now() - found.at < maxAgeMs) return found.answer as Promise<T>;
      if (entries.size >= maxEntries && !entries.has(key)) drop(entries.keys().next().value as string);
      // Kept while still in flight, so that a change announced meanwhile forgets it too; shared
      // by every caller, so frozen.
      const entry: Entry = { answer: read().then(deepFrozen), at: now(), tags };
      keep(key, entry);
      entry.answer.catch(() => {
        if (entries.get(key) === entry) drop(key);
      });
      return entry.answer as Promise<T>;
    },
    forgetAll,
    forget(tag) {
      for (const key of [...(tagged.get(tag) ?? [])]) drop(key);
    },
    setListening(value) {
      listening = value;
      forgetAll();
    },
  };
}
