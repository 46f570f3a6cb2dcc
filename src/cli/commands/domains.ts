import { Resolver } from 'node:dns/promises';
import type { Command } from 'commander';
import { RuleViolationError } from '../../domain/errors.js';
import { domainCreateSchema, createDomainsAdmin } from '../../domain/organizations/domains-admin.js';
import { challengeName } from '../../domain/organizations/domain-names.js';
import type { DnsResolver } from '../../domain/organizations/domain-verification.js';
import type { DomainRecord } from '../../domain/ports/tenancy.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import { formatTime, json, table } from '../format.js';

/** The system's resolvers, with a bound on the wait: an operator is watching the terminal. */
function systemResolver(): DnsResolver {
  const resolver = new Resolver({ timeout: 5_000, tries: 2 });
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}

const txtRecord = (claim: DomainRecord) => ({
  name: challengeName(claim.domain),
  value: claim.verificationToken,
});

export function registerDomains(program: Command, io: Io): void {
  const domains = program
    .command('domains')
    .description("an organization's email domains: claims, and their proof by DNS TXT record")
    .addHelpText(
      'after',
      '\nOnly verified domains route sign-ins to an organization or let users auto-join it.\n' +
        'Wildcards (*.example.com) cover every name below example.com, not example.com itself.\n',
    );

  domains
    .command('add')
    .description('claim a domain for an organization and print the DNS TXT record that proves it')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--domain <domain>', 'example.com, or *.example.com for every name below it')
    .option('--verified', 'mark it verified now on your word as operator, without DNS proof')
    .option('--json', 'print the claim (with the TXT record to publish) as JSON')
    .action(async (options: { organization: string; domain: string; verified?: boolean; json?: boolean }) => {
      const input = parseOptions(
        domainCreateSchema,
        { domain: options.domain, verified: options.verified ?? false },
        { domain: '--domain', verified: '--verified' },
      );
      const env = readEnv();
      const claim = await withDatabase(env, io, (db) =>
        createDomainsAdmin(db, systemResolver()).add(cliPrincipal(), options.organization, input),
      );
      if (options.json) {
        io.out(json({ ...claim, txtRecord: txtRecord(claim) }));
        return;
      }
      const { name, value } = txtRecord(claim);
      io.out(
        claim.verifiedAt
          ? `added ${claim.domain} to ${options.organization}, verified by operator\n`
          : `added ${claim.domain} to ${options.organization}, pending verification.\n` +
              `Publish this DNS TXT record, then run \`gatehouse domains verify --organization ${options.organization} --domain ${claim.domain}\`:\n` +
              `  name:  ${name}\n  value: ${value}\n`,
      );
    });

  domains
    .command('verify')
    .description('check the DNS TXT record of a claim now (or, with --operator, verify it on your word)')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--domain <domain>', 'the claimed domain')
    .option('--operator', 'skip the DNS check: you attest the organization controls the domain')
    .option('--json', 'print the claim as JSON')
    .action(async (options: { organization: string; domain: string; operator?: boolean; json?: boolean }) => {
      const env = readEnv();
      const method = options.operator ? 'operator' : 'dns';
      const claim = await withDatabase(env, io, async (db) => {
        const admin = createDomainsAdmin(db, systemResolver());
        try {
          return await admin.verify(cliPrincipal(), options.organization, options.domain, method);
        } catch (error) {
          if (!(error instanceof RuleViolationError) || error.code !== 'verification_failed') throw error;
          const { name, value } = txtRecord(
            await admin.get(cliPrincipal(), options.organization, options.domain),
          );
          throw new CliError(
            `${options.domain} is not verified: ${error.message}.\n` +
              `Publish a TXT record at ${name} with the value ${value}, wait for DNS to serve it, and run this again.`,
            EXIT_FAILURE,
          );
        }
      });
      io.out(
        options.json
          ? json(claim)
          : `${claim.domain} is verified for ${options.organization} (${claim.verificationMethod ?? method}, ${formatTime(claim.verifiedAt ?? new Date())})\n`,
      );
    });

  domains
    .command('list')
    .description("list an organization's domain claims and whether each is verified")
    .requiredOption('--organization <slug>', 'organization slug or id')
    .option('--json', 'print the claims as JSON')
    .action(async (options: { organization: string; json?: boolean }) => {
      const env = readEnv();
      const claims = await withDatabase(env, io, (db) =>
        createDomainsAdmin(db, systemResolver()).list(cliPrincipal(), options.organization),
      );
      if (options.json) {
        io.out(json(claims.map((claim) => ({ ...claim, txtRecord: txtRecord(claim) }))));
        return;
      }
      if (claims.length === 0) {
        io.out(`${options.organization} claims no domains yet.\n`);
        return;
      }
      const rows = claims.map((claim) => [
        claim.domain,
        claim.verifiedAt ? `verified (${claim.verificationMethod ?? '?'})` : 'pending',
        claim.verifiedAt ? formatTime(claim.verifiedAt) : '-',
        claim.managedBy ?? '-',
        claim.verifiedAt ? '-' : `${challengeName(claim.domain)} TXT ${claim.verificationToken}`,
      ]);
      io.out(table(['DOMAIN', 'STATUS', 'SINCE', 'MANAGED BY', 'PROOF TO PUBLISH'], rows));
    });
}
