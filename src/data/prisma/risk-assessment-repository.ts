import type {
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

export function createRiskAssessmentRepository(db: PrismaExecutor): RiskAssessmentRepository {
  return {
    async create(assessment) {
      const signals = assessment.signals.map(({ name, points, detail }) => ({ name, points, detail }));
      const row = await db.riskAssessment.create({
        data: { ...assessment, signals: signals as unknown as Prisma.InputJsonValue },
      });
      return toRecord(row);
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
