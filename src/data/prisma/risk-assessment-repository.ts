import type {
  NewRiskAssessment,
  RiskAssessmentRecord,
  RiskAssessmentRepository,
  RiskDecision,
  RiskOutcome,
  RiskSignal,
} from '../../domain/ports/risk.js';
import type { RiskAssessment as RiskAssessmentRow } from '../generated/prisma/client.js';
import type { Prisma, PrismaExecutor } from './prisma-client.js';

function toRecord(row: RiskAssessmentRow): RiskAssessmentRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    userId: row.userId,
    ip: row.ip,
    country: row.country,
    latitude: row.latitude,
    longitude: row.longitude,
    deviceHash: row.deviceHash,
    score: row.score,
    decision: row.decision as RiskDecision,
    signals: Array.isArray(row.signals) ? (row.signals as unknown as RiskSignal[]) : [],
    outcome: row.outcome as RiskOutcome | null,
    createdAt: row.createdAt,
  };
}

/** A row as plain SQL reads it (sql/risk-assessments.ts). */
export interface RawRiskAssessmentRow extends Record<string, unknown> {
  id: string;
  organization_id: string | null;
  user_id: string | null;
  ip: string;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  device_hash: string | null;
  score: number;
  decision: string;
  signals: unknown;
  outcome: string | null;
  created_at: Date;
}

export const fromRaw = (row: RawRiskAssessmentRow): RiskAssessmentRecord =>
  toRecord({
    id: row.id,
    organizationId: row.organization_id,
    userId: row.user_id,
    ip: row.ip,
    country: row.country,
    latitude: row.latitude,
    longitude: row.longitude,
    deviceHash: row.device_hash,
    score: row.score,
    decision: row.decision,
    signals: row.signals as RiskAssessmentRow['signals'],
    outcome: row.outcome,
    createdAt: row.created_at,
  });

/** What the signals column keeps of each signal. */
export const storedSignals = (assessment: NewRiskAssessment) =>
  assessment.signals.map(({ name, points, detail }) => ({ name, points, detail }));

export function createRiskAssessmentRepository(db: PrismaExecutor): RiskAssessmentRepository {
  const create = async (assessment: NewRiskAssessment) => {
    const row = await db.riskAssessment.create({
      data: { ...assessment, signals: storedSignals(assessment) as unknown as Prisma.InputJsonValue },
    });
    return toRecord(row);
  };
  return {
    create,
    async createListingMemberships(assessment) {
      const record = await create(assessment);
      const memberships = await db.membership.findMany({
        where: { userId: assessment.userId! },
        select: { organizationId: true },
      });
      return { record, memberOf: memberships.map((membership) => membership.organizationId) };
    },
    async find(id) {
      const row = await db.riskAssessment.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async recentForUser(userId, limit) {
      const rows = await db.riskAssessment.findMany({
        where: { userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return rows.map(toRecord);
    },
    async setOutcome(id, outcome) {
      await db.riskAssessment.updateMany({ where: { id }, data: { outcome } });
    },
  };
}
