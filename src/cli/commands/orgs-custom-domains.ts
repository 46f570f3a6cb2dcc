import { Resolver } from 'node:dns/promises';
import type { Command } from 'commander';
import {
  createCustomDomainsAdmin,
  customDomainCreateSchema,
} from '../../domain/branding/custom-domains-admin.js';
import { createEntitlements } from '../../domain/entitlements/entitlements.js';
import { RuleViolationError } from '../../domain/errors.js';
import { challengeName } from '../../domain/organizations/domain-names.js';
import type { DnsResolver } from '../../domain/organizations/domain-verification.js';
import type { CustomDomainRecord } from '../../domain/ports/custom-domains.js';
import type { Database } from '../../domain/ports/repositories.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import { formatTime, json, table } from '../format.js';

/** The system's resolvers, with a bound on the wait: an operator is watching the terminal. */
function systemResolver(): DnsResolver {
  const resolver = new Resolver({ timeout: 5_000, tries: 2 });
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}

const txtRecord = (domain: CustomDomainRecord) => ({
  name: challengeName(domain.host),
  value: domain.verificationToken,
});

const admin = (db: Database, issuer: string) =>
  createCustomDomainsAdmin(db, {
    dns: systemResolver(),
    issuerHost: new URL(issuer).host,
    allows: createEntitlements(db, () => new Date()).allows,
  });

const asJson = (domain: CustomDomainRecord) => ({
  ...domain,
  txtRecord: domain.verifiedAt ? null : txtRecord(domain),
});

/** `gatehouse orgs custom-domains ...`: an organization's custom login domains. */
export function registerOrgCustomDomains(orgs: Command, io: Io): void {
  const domains = orgs
    .command('custom-domains')
    .description("an organization's custom login domains (login.customer.example): its branded sign-in entry")
    .addHelpText(
      'after',
      '\nA host serves the branded entry once verified (DNS TXT record) and only where the\n' +
        'deployment sets CUSTOM_DOMAINS=true. Point the host at Gatehouse (DNS and TLS) yourself.\n',
    );

  domains
    .command('list')
    .description("list an organization's custom login domains and whether each is verified")
    .requiredOption('--organization <slug>', 'organization slug or id')
    .option('--json', 'print the custom domains as JSON')
    .action(async (options: { organization: string; json?: boolean }) => {
      const env = readEnv();
      const rows = await withDatabase(env, io, (db) =>
        admin(db, env.ISSUER).list(cliPrincipal(), options.organization),
      );
      if (options.json) return io.out(json(rows.map(asJson)));
      if (rows.length === 0) return io.out(`${options.organization} has no custom login domains.\n`);
      io.out(
        table(
          ['ID', 'HOST', 'STATUS', 'PROOF TO PUBLISH'],
          rows.map((row) => [
            row.id,
            row.host,
            row.verifiedAt ? `verified ${formatTime(row.verifiedAt)}` : 'pending',
            row.verifiedAt ? '-' : `${txtRecord(row).name} TXT ${row.verificationToken}`,
          ]),
        ),
      );
    });

  domains
    .command('add')
    .description('add a custom login domain and print the DNS TXT record that proves it')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--host <host>', 'the host name, e.g. login.customer.example')
    .option('--verified', 'mark it verified now on your word as operator, without DNS proof')
    .option('--json', 'print the custom domain (with the TXT record to publish) as JSON')
    .action(async (options: { organization: string; host: string; verified?: boolean; json?: boolean }) => {
      const input = parseOptions(
        customDomainCreateSchema,
        { host: options.host, verified: options.verified ?? false },
        { host: '--host', verified: '--verified' },
      );
      const env = readEnv();
      const domain = await withDatabase(env, io, (db) =>
        admin(db, env.ISSUER).add(cliPrincipal(), options.organization, input),
      );
      if (options.json) return io.out(json(asJson(domain)));
      const { name, value } = txtRecord(domain);
      io.out(
        domain.verifiedAt
          ? `added ${domain.host} to ${options.organization} (${domain.id}), verified by operator\n`
          : `added ${domain.host} to ${options.organization} (${domain.id}), pending verification.\n` +
              `Publish this DNS TXT record, then run \`gatehouse orgs custom-domains verify --organization ${options.organization} --host ${domain.host}\`:\n` +
              `  name:  ${name}\n  value: ${value}\n`,
      );
    });

  domains
    .command('verify')
    .description(
      'check the DNS TXT record of a custom domain now (or, with --operator, verify it on your word)',
    )
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--host <host>', 'the custom domain: its host or id (cdm_...)')
    .option('--operator', 'skip the DNS check: you attest the organization controls the host')
    .option('--json', 'print the custom domain as JSON')
    .action(async (options: { organization: string; host: string; operator?: boolean; json?: boolean }) => {
      const env = readEnv();
      const method = options.operator ? 'operator' : 'dns';
      const domain = await withDatabase(env, io, async (db) => {
        const domains = admin(db, env.ISSUER);
        try {
          return await domains.verify(cliPrincipal(), options.organization, options.host, method);
        } catch (error) {
          if (!(error instanceof RuleViolationError) || error.code !== 'verification_failed') throw error;
          const { name, value } = txtRecord(
            await domains.get(cliPrincipal(), options.organization, options.host),
          );
          throw new CliError(
            `${options.host} is not verified: ${error.message}.\n` +
              `Publish a TXT record at ${name} with the value ${value}, wait for DNS to serve it, and run this again.`,
            EXIT_FAILURE,
          );
        }
      });
      io.out(
        options.json
          ? json(asJson(domain))
          : `${domain.host} is verified for ${options.organization} (${formatTime(domain.verifiedAt ?? new Date())})\n`,
      );
    });

  domains
    .command('remove')
    .description('remove a custom login domain: the host stops serving the organization at once')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--host <host>', 'the custom domain: its host or id (cdm_...)')
    .option('--json', 'print {"removed": host} as JSON')
    .action(async (options: { organization: string; host: string; json?: boolean }) => {
      const env = readEnv();
      await withDatabase(env, io, (db) =>
        admin(db, env.ISSUER).remove(cliPrincipal(), options.organization, options.host),
      );
      io.out(
        options.json
          ? json({ removed: options.host })
          : `removed ${options.host} from ${options.organization}\n`,
      );
    });
}
