import type { RoutingSettings } from '../domain/organizations/routing-input.js';
import type { AdminClient } from './admin-client.js';
import { CliError, EXIT_CONFLICT, EXIT_NOT_FOUND } from './errors.js';
import type { SsoDraft } from './sso-draft.js';

interface OrganizationJson {
  id: string;
  slug: string;
  managed_by: string | null;
}
interface ConnectionJson {
  id: string;
  key: string;
  type: 'oidc' | 'saml';
  service_provider?: { entity_id_path: string; acs_path: string; metadata_path: string };
}
interface DomainJson {
  domain: string;
  verified: boolean;
}

export interface SsoApplyResult {
  organization: OrganizationJson;
  connection: ConnectionJson;
  domainAdded: boolean;
  /** False when the organization's claim is still waiting for its DNS proof. */
  domainVerified: boolean;
  priority: number;
}

/** Reads what the organization has and refuses the change before anything is written. */
async function current(client: AdminClient, draft: SsoDraft) {
  const organization = await client.find<OrganizationJson>(
    `/organizations/${encodeURIComponent(draft.organization)}`,
  );
  if (!organization) {
    throw new CliError(
      `organization ${draft.organization} does not exist at ${client.baseUrl}: create it first (\`gatehouse orgs create --slug ${draft.organization} --name ...\`)`,
      EXIT_NOT_FOUND,
    );
  }
  const base = `/organizations/${organization.id}`;
  const [connections, domains, routing] = await Promise.all([
    client.request<{ data: ConnectionJson[] }>('GET', `${base}/connections`),
    client.request<{ data: DomainJson[] }>('GET', `${base}/domains`),
    client.request<RoutingSettings>('GET', `${base}/routing`),
  ]);
  if (connections.data.some((connection) => connection.key === draft.key)) {
    throw new CliError(
      `${draft.organization} already has a connection ${draft.key}: choose another name with --id`,
      EXIT_CONFLICT,
    );
  }
  const rule = routing.rules.find((existing) => existing.domain === draft.domain);
  if (rule) {
    throw new CliError(
      `${draft.organization} already routes ${draft.domain} to connection ${rule.connection}: remove that rule first, or choose another --domain`,
      EXIT_CONFLICT,
    );
  }
  const claim = domains.data.find((existing) => existing.domain === draft.domain);
  return { organization, base, claim, routing };
}

function nextPriority(routing: RoutingSettings, draft: SsoDraft): number {
  if (draft.priority !== undefined) return draft.priority;
  return routing.rules.reduce((highest, rule) => Math.max(highest, rule.priority), 0) + 1;
}

/**
 * Adds the connection, claims the domain (as the operator: the API key attests control) and
 * appends the routing rule, through the admin API. The API has no transaction across calls, so a
 * failed step undoes the earlier ones: the organization ends as it was, or with all three.
 */
export async function applySsoThroughApi(
  client: AdminClient,
  draft: SsoDraft,
  progress: (line: string) => void,
): Promise<SsoApplyResult> {
  progress(`reading organization ${draft.organization} at ${client.baseUrl}`);
  const { organization, base, claim, routing } = await current(client, draft);
  const undo: { what: string; path: string }[] = [];
  try {
    progress(`adding connection ${draft.key}`);
    const secret = draft.clientSecret === undefined ? {} : { client_secret: draft.clientSecret };
    const connection = await client.request<ConnectionJson>('POST', `${base}/connections`, {
      ...draft.connection,
      ...secret,
    });
    undo.push({
      what: `connection ${draft.key}`,
      path: `${base}/connections/${encodeURIComponent(draft.key)}`,
    });
    if (!claim) {
      progress(`claiming ${draft.domain}`);
      await client.request('POST', `${base}/domains`, { domain: draft.domain, verified: true });
      undo.push({
        what: `domain ${draft.domain}`,
        path: `${base}/domains/${encodeURIComponent(draft.domain)}`,
      });
    }
    const priority = nextPriority(routing, draft);
    progress(`routing ${draft.domain} to ${draft.key} (priority ${priority})`);
    const rule = { domain: draft.domain, connection: draft.key, priority };
    await client.request('PUT', `${base}/routing`, { ...routing, rules: [...routing.rules, rule] });
    return {
      organization,
      connection,
      domainAdded: !claim,
      domainVerified: claim?.verified ?? true,
      priority,
    };
  } catch (error) {
    for (const step of undo.reverse()) {
      progress(`undoing: removing ${step.what}`);
      await client
        .request('DELETE', step.path)
        .catch(() => progress(`could not remove ${step.what}; remove it by hand`));
    }
    throw error;
  }
}
