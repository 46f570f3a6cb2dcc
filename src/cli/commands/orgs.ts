import type { Command } from 'commander';
import { z } from 'zod';
import { allPages } from '../../domain/all-pages.js';
import { organizationCreateSchema } from '../../domain/organizations/organization-input.js';
import {
  createOrganizationsAdmin,
  type EffectiveSettings,
} from '../../domain/organizations/organizations-admin.js';
import type { Repositories } from '../../domain/ports/repositories.js';
import type { OrganizationRecord } from '../../domain/ports/tenancy.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { formatTime, json, table } from '../format.js';
import { registerOrgRouting } from './orgs-routing.js';
import { registerOrgFreeze } from './orgs-freeze.js';
import { registerOrgCustomDomains } from './orgs-custom-domains.js';

const listOptionsSchema = z
  .object({
    parent: z.string().min(1).optional(),
    status: z.enum(['active', 'suspended']).optional(),
  })
  .strict();

export function registerOrgs(program: Command, io: Io): void {
  const orgs = program
    .command('orgs')
    .description('organizations (tenants) and their sub-organizations')
    .addHelpText(
      'after',
      '\nOrganizations are named by slug or id (org_...) wherever a command takes one.\n',
    );

  orgs
    .command('list')
    .description('list organizations with their parent, status and owner')
    .option('--parent <slug>', 'only the direct sub-organizations of this organization')
    .option('--status <status>', 'only organizations in this status: active or suspended')
    .option('--json', 'print the organizations as JSON')
    .action(async (options: { parent?: string; status?: string; json?: boolean }) => {
      const filter = parseOptions(
        listOptionsSchema,
        { parent: options.parent, status: options.status },
        {
          parent: '--parent',
          status: '--status',
        },
      );
      const env = readEnv();
      const { list, slugs } = await withDatabase(env, io, async (db) => {
        const admin = createOrganizationsAdmin(db);
        const principal = cliPrincipal();
        const rows = await allPages((page) => admin.list(principal, filter, page));
        return { list: rows, slugs: await slugsOf(db, rows) };
      });
      if (options.json) {
        io.out(
          json(list.map((org) => ({ ...org, parentSlug: org.parentId ? slugs.get(org.parentId) : null }))),
        );
        return;
      }
      if (list.length === 0) {
        io.out(
          'No organizations yet; create one with `gatehouse orgs create --slug <slug> --name <name>`.\n',
        );
        return;
      }
      const rows = list.map((org) => [
        org.slug,
        org.name,
        org.parentId ? (slugs.get(org.parentId) ?? org.parentId) : '-',
        org.status,
        org.managedBy ?? '-',
        org.id,
      ]);
      io.out(table(['SLUG', 'NAME', 'PARENT', 'STATUS', 'MANAGED BY', 'ID'], rows));
    });

  orgs
    .command('create')
    .description('create an organization, or a sub-organization with --parent')
    .requiredOption('--slug <slug>', 'unique short name: lower-case letters, digits, _ and - (2 to 63)')
    .requiredOption('--name <name>', 'display name')
    .option('--parent <slug>', 'make it a sub-organization of this organization (slug or id)')
    .option('--json', 'print the organization as JSON')
    .addHelpText('after', '\nExample:\n  gatehouse orgs create --slug acme --name "Acme Corp"\n')
    .action(async (options: { slug: string; name: string; parent?: string; json?: boolean }) => {
      const input = parseOptions(
        organizationCreateSchema,
        { slug: options.slug, name: options.name, parent: options.parent },
        { slug: '--slug', name: '--name', parent: '--parent' },
      );
      const env = readEnv();
      const created = await withDatabase(env, io, (db) =>
        createOrganizationsAdmin(db).create(cliPrincipal(), input),
      );
      io.out(
        options.json
          ? json(created)
          : `created organization ${created.slug} (${created.id})${options.parent ? ` under ${options.parent}` : ''}\n`,
      );
    });

  orgs
    .command('show')
    .description('show an organization with its effective (inherited) roles and security policies')
    .argument('<organization>', 'slug or id')
    .option('--json', 'print the organization and its effective settings as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const shown = await withDatabase(env, io, async (db) => {
        const admin = createOrganizationsAdmin(db);
        const principal = cliPrincipal();
        const organization = await admin.get(principal, ref);
        const effective = await admin.effective(principal, ref);
        const chain = await db.organizations.chain(organization.id);
        const domains = await db.domains.listFor(organization.id);
        return { organization, effective, chain, domains };
      });
      if (options.json) {
        const { organization, effective, domains } = shown;
        io.out(json({ organization, effective, domains }));
        return;
      }
      io.out(renderOrganization(shown.organization, shown.chain, shown.effective, shown.domains.length));
    });

  registerOrgRouting(orgs, io);
  registerOrgFreeze(orgs, io);
  registerOrgCustomDomains(orgs, io);
}

/** Slugs of the parents the listed rows point at (some may lie outside a filtered list). */
async function slugsOf(repos: Repositories, rows: readonly OrganizationRecord[]) {
  const slugs = new Map(rows.map((row) => [row.id, row.slug]));
  for (const row of rows) {
    if (row.parentId && !slugs.has(row.parentId)) {
      const parent = await repos.organizations.find(row.parentId);
      if (parent) slugs.set(parent.id, parent.slug);
    }
  }
  return slugs;
}

function renderOrganization(
  organization: OrganizationRecord,
  chain: readonly OrganizationRecord[],
  effective: EffectiveSettings,
  domainCount: number,
): string {
  const slugOf = (id: string | undefined) => chain.find((org) => org.id === id)?.slug ?? id ?? '-';
  const policy = organization.domainPolicy;
  const facts: [string, string][] = [
    ['id', organization.id],
    ['name', organization.name],
    ['parent', organization.parentId ? slugOf(organization.parentId) : '-'],
    ['status', organization.status],
    ['managed by', organization.managedBy ?? '-'],
    ['default role', organization.defaultRole ?? '-'],
    ['domains', `${domainCount} (see \`gatehouse domains list --organization ${organization.slug}\`)`],
    [
      'domain policy',
      Object.entries(policy)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', ') || '-',
    ],
    ['created', formatTime(organization.createdAt)],
  ];
  const width = Math.max(...facts.map(([label]) => label.length));
  const head = facts.map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
  const roles =
    effective.roles.length === 0
      ? '  (none)\n'
      : indent(
          table(
            ['ROLE', 'PERMISSIONS', 'ADMIN', 'OVERRIDABLE', 'DEFINED BY'],
            effective.roles.map((role) => [
              role.name,
              role.permissions.join(' ') || '-',
              role.admin ? 'yes' : 'no',
              role.overridable ? 'yes' : 'no',
              role.inherited ? slugOf(role.defined_by) : 'this organization',
            ]),
          ),
        );
  const { values, sources, lockedByAncestors } = effective.policies;
  const keys = Object.keys(values) as (keyof typeof values)[];
  const policies =
    keys.length === 0
      ? '  (none set)\n'
      : indent(
          table(
            ['POLICY', 'VALUE', 'SET BY', 'LOCKED'],
            keys.map((key) => [
              key,
              Array.isArray(values[key]) ? (values[key] as unknown[]).join(' ') : String(values[key]),
              sources[key] === organization.id ? 'this organization' : slugOf(sources[key]),
              lockedByAncestors.includes(key) ? 'by a parent' : '-',
            ]),
          ),
        );
  return `Organization ${organization.slug}\n${head}\nEffective roles:\n${roles}\nEffective security policies:\n${policies}`;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
