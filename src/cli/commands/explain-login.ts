import type { Command } from 'commander';
import type { RiskExplanation } from '../../domain/risk/risk-explanation.js';
import { createRiskAssessmentsAdmin } from '../../domain/risk/risk-assessments-admin.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { json, table } from '../format.js';

export function registerExplainLogin(program: Command, io: Io): void {
  program
    .command('explain-login')
    .description('show why a sign-in was allowed, asked for a second factor or refused, signal by signal')
    .argument('<assessment-id>', 'the risk assessment (`rsk_...`) a login.risk_assessed audit record names')
    .option('--json', 'print the decision, thresholds and signals as JSON')
    .addHelpText('after', '\nExample:\n  gatehouse explain-login rsk_3q2Nw0k1b7Yd5e9xKf4mVg\n')
    .action(async (id: string, options: { json?: boolean }) => {
      const env = readEnv();
      const explanation = await withDatabase(env, io, (db) =>
        createRiskAssessmentsAdmin(db).explain(cliPrincipal(), id),
      );
      io.out(options.json ? json(explanation) : renderExplanation(explanation));
    });
}

/** The decision and where it sits between the thresholds, then each signal. */
function renderExplanation(explanation: RiskExplanation): string {
  const { thresholds } = explanation;
  const head = [
    `Decision:     ${explanation.decision} (score ${explanation.score}; mfa at ${thresholds.mfa_at}, deny at ${thresholds.deny_at})`,
    `Outcome:      ${explanation.outcome ?? 'unfinished'}`,
    `Organization: ${explanation.organization_id ?? 'none'}`,
    `User:         ${explanation.user_id ?? 'unknown'}`,
    `Address:      ${explanation.ip} (${explanation.country ?? 'country unknown'})`,
    `Time:         ${explanation.created_at}`,
  ].join('\n');
  const rows = explanation.signals.map((signal) => [signal.name, String(signal.points), signal.detail]);
  const signals =
    rows.length > 0
      ? table(['SIGNAL', 'POINTS', 'DETAIL'], rows)
      : 'No signals: nothing about this sign-in was unusual.\n';
  return `${head}\n\n${signals}`;
}
