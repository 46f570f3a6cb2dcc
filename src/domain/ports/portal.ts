import type { PortalIntent } from '../portal/portal-principal.js';

/** A one-time link that opens the customer portal for one organization and one task. */
export interface PortalSetupLinkRecord {
  id: string;
  organizationId: string;
  intent: PortalIntent;
  /** SHA-256 of the link's secret (lib/crypto/bearer-token.ts); the secret itself is never stored. */
  tokenHash: string;
  /** Who made it: `<actor type>:<actor id>`. */
  createdBy: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}
export type NewPortalSetupLink = Omit<PortalSetupLinkRecord, 'usedAt' | 'createdAt'>;

export interface PortalSetupLinkRepository {
  create(link: NewPortalSetupLink): Promise<PortalSetupLinkRecord>;
  findByTokenHash(tokenHash: string): Promise<PortalSetupLinkRecord | undefined>;
  /**
   * Marks the link used at `at` in one conditional update (still unused and not expired at `at`);
   * true only for the one caller whose update took it, however many race.
   */
  markUsed(id: string, at: Date): Promise<boolean>;
}
