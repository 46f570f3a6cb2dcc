import type { Document } from 'yaml';
import { normalizeDomainPattern } from '../domain/organizations/domain-names.js';
import type { EditOutcome } from './config-file-edit.js';
import { envVariableName, type EnvEntry } from './env-file.js';
import { CliError, EXIT_CONFLICT, EXIT_NOT_FOUND } from './errors.js';
import { PROVIDER_PRESETS } from './provider-presets.js';
import type { SsoDraft } from './sso-draft.js';
import {
  appendItem,
  blockSequence,
  itemsOf,
  mapIn,
  organizationsIn,
  type OrganizationNode,
} from './yaml-edit.js';

export interface SsoFileResult {
  /** Where the client secret is read from at apply time (OIDC). */
  secretVariable: string | undefined;
  /** Whether the secret was written to the .env file (false: the operator sets it). */
  secretWritten: boolean;
  /** False when the organization already listed the domain and only the rule was added. */
  domainAdded: boolean;
  priority: number;
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

const claimedDomain = (claim: unknown) => {
  const domain = typeof claim === 'string' ? claim : field(claim, 'domain');
  return typeof domain === 'string' ? normalizeDomainPattern(domain) : undefined;
};

export function findOrganization(doc: Document, slug: string): OrganizationNode {
  const organizations = organizationsIn(doc);
  const found = organizations.find((organization) => organization.slug === slug);
  if (found) return found;
  const known = organizations.map((organization) => organization.slug);
  throw new CliError(
    `organization ${slug} is not in the file (${known.length > 0 ? `it has ${known.join(', ')}` : 'it has none'}); ` +
      'add it under organizations: first',
    EXIT_NOT_FOUND,
  );
}

/** True when the organization claims the domain already; a claim by another organization is a conflict. */
function claimedHere(doc: Document, draft: SsoDraft): boolean {
  let here = false;
  for (const organization of organizationsIn(doc)) {
    if (!itemsOf(organization.node, 'domains').some((claim) => claimedDomain(claim) === draft.domain))
      continue;
    if (organization.slug !== draft.organization) {
      throw new CliError(
        `${draft.domain} is already claimed by organization ${organization.slug} (${organization.path}); a domain belongs to one organization`,
        EXIT_CONFLICT,
      );
    }
    here = true;
  }
  return here;
}

/** The priority the new rule gets: the one asked for, or after every existing rule. */
function rulePriority(rules: unknown[], draft: SsoDraft, path: string): number {
  const taken = rules.find((rule) => claimedDomain(rule) === draft.domain);
  if (taken) {
    throw new CliError(
      `${path} already routes ${draft.domain} to connection ${String(field(taken, 'connection'))}: remove that rule first, or choose another --domain`,
      EXIT_CONFLICT,
    );
  }
  if (draft.priority !== undefined) return draft.priority;
  const priorities = rules.map((rule) => field(rule, 'priority')).filter((p) => typeof p === 'number');
  return priorities.length === 0 ? 1 : Math.max(...priorities) + 1;
}

/** Says what remains to do at the IdP, above the entry, for whoever reads the file next. */
function connectionComment(draft: SsoDraft): string {
  const label = PROVIDER_PRESETS[draft.provider].label;
  const show = `gatehouse connections show --organization ${draft.organization} --key ${draft.key}`;
  if (draft.protocol === 'oidc') {
    return (
      ` ${label} over OpenID Connect. At the IdP, register the redirect URI\n` +
      ' <issuer>/sso/oidc/<connection id>/callback; once applied, the id is in\n' +
      ` \`${show}\`.`
    );
  }
  return (
    ` ${label} over SAML 2.0. At the IdP, choose NameID format\n` +
    ` ${draft.nameIdFormat}; once applied, the SP entity ID\n` +
    ` and ACS URL to register there are in \`${show}\`.`
  );
}

/**
 * Adds the connection, the domain claim and the routing rule sending the domain to it, with names
 * as gatehouse.example.yaml has them. The client secret goes to the .env file and the YAML holds a
 * `${VARIABLE}` reference: secrets are never written inline.
 */
export function addSsoToDocument(doc: Document, draft: SsoDraft): EditOutcome<SsoFileResult> {
  const organization = findOrganization(doc, draft.organization);
  const node = organization.node;
  if (itemsOf(node, 'connections').some((connection) => field(connection, 'id') === draft.key)) {
    throw new CliError(
      `${organization.path} already has a connection ${draft.key}: choose another name with --id, or edit that one in the file`,
      EXIT_CONFLICT,
    );
  }
  const domainAdded = !claimedHere(doc, draft);
  const routing = mapIn(doc, node, 'routing');
  const priority = rulePriority(itemsOf(routing, 'rules'), draft, `${organization.path}.routing`);

  const { key, ...members } = draft.connection;
  const secretVariable =
    draft.protocol === 'oidc'
      ? envVariableName(draft.organization, key as string, 'CLIENT_SECRET')
      : undefined;
  const secret = secretVariable ? { client_secret: `\${${secretVariable}}` } : {};
  const { attribute_map: attributeMap, scopes, ...settings } = members;
  const entry = { id: key, ...settings, ...secret, scopes, attribute_map: attributeMap };
  appendItem(doc, blockSequence(doc, node, 'connections'), dropUndefined(entry), {
    comment: connectionComment(draft),
  });
  if (domainAdded) {
    appendItem(
      doc,
      blockSequence(doc, node, 'domains'),
      { domain: draft.domain, verified: true },
      { flow: true },
    );
  }
  appendItem(
    doc,
    blockSequence(doc, routing, 'rules'),
    { domain: draft.domain, connection: draft.key, priority },
    { flow: true },
  );
  const env: EnvEntry[] =
    secretVariable && draft.clientSecret !== undefined
      ? [
          {
            name: secretVariable,
            value: draft.clientSecret,
            comment: `client secret of connection ${draft.key} of ${draft.organization}`,
          },
        ]
      : [];
  return { env, result: { secretVariable, secretWritten: env.length > 0, domainAdded, priority } };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
