import { createHmac } from 'node:crypto';
import type { AuditChainHead } from '../ports/tenancy.js';
import { canonicalJson } from './canonical-json.js';

/** Records without an organization form one chain of their own. */
export const PLATFORM_CHAIN = 'platform';
export const chainKeyOf = (organizationId: string | null) => organizationId ?? PLATFORM_CHAIN;

/** The purpose the audit key is derived for from the key-encryption key (see deriveAuditKey). */
const AUDIT_KEY_PURPOSE = 'gatehouse audit chain v1';
const RECORD_DOMAIN = 'gatehouse.audit.record.v1';
const HEAD_DOMAIN = 'gatehouse.audit.head.v1';

/** Everything a record's hash covers: every stored field except the database's own id. */
export interface ChainedFields {
  chainKey: string;
  seq: number;
  /** The previous record's hash; null for the chain's first chained record. */
  prevHash: string | null;
  /** Milliseconds precision: what a timestamp(3) column gives back. */
  at: Date;
  organizationId: string | null;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  /** As stored: redacted plain JSON, or null. */
  before: unknown;
  after: unknown;
}

/** The chain head's fields its MAC covers: all of them but the MAC. */
export type ChainHeadFields = Omit<AuditChainHead, 'mac'>;

export interface AuditSealer {
  recordHash(fields: ChainedFields): string;
  headMac(head: ChainHeadFields): string;
}

/**
 * The audit key: an HMAC-SHA256 key of its own, derived from the key-encryption key (which never
 * enters the database), so write access to the database alone cannot forge a consistent chain.
 */
export const deriveAuditKey = (keyEncryptionKey: Buffer): Buffer =>
  createHmac('sha256', keyEncryptionKey).update(AUDIT_KEY_PURPOSE).digest();

/**
 * HMAC-SHA256 over the RFC 8785 form of a fixed-order array of the fields, so no two different
 * records (or a record and a head) can serialize alike. Sequences go in as decimal strings and
 * instants as ISO 8601 in UTC, which survive every round trip through the database unchanged.
 * A key given as a function is read on first use: commands that never touch the audit log do not
 * need the key-encryption key.
 */
export function createAuditSealer(key: Buffer | (() => Buffer)): AuditSealer {
  let resolved = typeof key === 'function' ? undefined : key;
  const mac = (fields: unknown[]) => {
    resolved ??= (key as () => Buffer)();
    return createHmac('sha256', resolved).update(canonicalJson(fields)).digest('hex');
  };
  return {
    recordHash: (record) =>
      mac([
        RECORD_DOMAIN,
        record.chainKey,
        String(record.seq),
        record.prevHash,
        record.at.toISOString(),
        record.organizationId,
        record.actorType,
        record.actorId,
        record.action,
        record.targetType,
        record.targetId,
        record.before,
        record.after,
      ]),
    headMac: (head) =>
      mac([
        HEAD_DOMAIN,
        head.chainKey,
        String(head.lastSeq),
        head.lastHash,
        String(head.prunedThroughSeq),
        head.prunedThroughHash,
        String(head.preChainThroughSeq),
      ]),
  };
}
