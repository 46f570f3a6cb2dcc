import type { Command } from 'commander';
import { createPortalLinksAdmin } from '../../domain/portal/portal-links-admin.js';
import { createSetupLinks, setupLinkCreateSchema } from '../../domain/portal/setup-links.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json } from '../format.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90m`, `24h`, `7d` (or plain seconds) as seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match)
    throw new CliError(`--expires: ${text} is not a duration like 30m, 24h or 7d`, EXIT_INVALID_INPUT);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}

export function registerPortal(program: Command, io: Io): void {
  const portal = program
    .command('portal')
    .description('the customer portal, where an organization sets up its SSO, directory sync and domains');

  portal
    .command('link')
    .description('create a one-time setup link for one organization and one task; the URL is shown once')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--intent <intent>', 'what the link opens: sso, dsync or domains')
    .option('--expires <duration>', 'how long the link works: 30m, 24h, 7d (5 minutes to 30 days)', '24h')
    .option('--json', 'print the link (with its URL) as JSON')
    .action(async (options: { organization: string; intent: string; expires: string; json?: boolean }) => {
      const input = parseOptions(
        setupLinkCreateSchema,
        { intent: options.intent, expires_in: parseDuration(options.expires) },
        { intent: '--intent', expires_in: '--expires' },
      );
      const env = readEnv();
      const issued = await withDatabase(env, io, (db) =>
        createPortalLinksAdmin(
          createSetupLinks(db, () => new Date()),
          env.ISSUER,
        ).issue(cliPrincipal(), options.organization, input),
      );
      if (options.json) {
        const { link, url, organization } = issued;
        io.out(
          json({
            id: link.id,
            organization: organization.slug,
            intent: link.intent,
            url,
            expiresAt: link.expiresAt,
          }),
        );
        return;
      }
      io.out(
        `Setup link for ${issued.organization.name} (${issued.link.intent}), usable once until ${formatTime(issued.link.expiresAt)}:\n` +
          `${issued.url}\n` +
          'It is shown only now: send it to the customer over a channel you trust.\n',
      );
    });
}
