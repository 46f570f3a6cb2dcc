import type { Container } from '../src/container.js';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import type { AdminPrincipal } from '../src/domain/organizations/admin-principal.js';
import { connectionCreateSchema } from '../src/domain/organizations/connection-input.js';
import {
  SAML_CONNECTION_KEY,
  SAML_IDP_ENTITY_ID,
  SAML_IDP_SSO_URL,
  SAML_PORTAL_CLIENT,
  SAML_PORTAL_CLIENT_DEFINITION,
  SSO_ATTRIBUTE_MAP,
  SSO_CLIENT_DEFINITION,
  SSO_CONNECTION_KEY,
  SSO_DEFAULT_ROLE,
  SSO_DOMAIN,
  SSO_ORGANIZATION,
  SSO_ROLE_RULE,
  SSO_ROLES,
  type PartnerPlan,
  type SsoSeeding,
} from './sso.js';

export interface SsoSeedingOptions {
  /** The OIDC partner of federated_login. */
  partner?: Omit<PartnerPlan, 'port'> | undefined;
  /** The SAML IdP's signing certificate (PEM), for saml_acs. */
  samlIdpCertificate?: string | undefined;
}

async function addClient(container: Container, definition: unknown): Promise<void> {
  const client = clientDefinitionSchema.parse(definition);
  await container.db.clients.upsert(clientRecordFrom(client, container.envelope, null));
}

/**
 * Seeds the tenancy of `federated_login` and `saml_acs` (sso.ts) the way an operator would,
 * through the container's admin services (each write validated and audited as in production):
 * the organization, its roles and default role, the verified domain and the role rule; then the
 * OIDC connection to the partner, its routing rule and the RP's client, and/or the SAML
 * connection and its portal client. The IdPs need not be running: nothing here talks to them
 * (OIDC discovery happens at the first sign-in; the SAML IdP is configured by hand).
 */
export async function seedSso(
  container: Container,
  seeder: AdminPrincipal,
  options: SsoSeedingOptions,
): Promise<SsoSeeding> {
  const started = performance.now();
  const { admin } = container;
  const organization = await admin.organizations.create(seeder, SSO_ORGANIZATION);
  for (const role of SSO_ROLES) {
    await admin.roles.create(seeder, organization.id, { ...role, admin: false, overridable: false });
  }
  await admin.organizations.update(seeder, organization.id, { default_role: SSO_DEFAULT_ROLE });
  await admin.domains.add(seeder, organization.id, { domain: SSO_DOMAIN, verified: true });
  await admin.provisioning.replace(seeder, organization.id, { role_rules: [SSO_ROLE_RULE] });
  // Parsed like the admin API parses it, so the defaults (scopes, signatures...) are the product's.
  const connect = (input: Record<string, unknown>) =>
    admin.connections.create(seeder, organization.id, connectionCreateSchema.parse(input));

  let oidcConnectionId: string | undefined;
  if (options.partner) {
    const connection = await connect({
      key: SSO_CONNECTION_KEY,
      type: 'oidc',
      issuer: options.partner.issuer,
      client_id: options.partner.clientId,
      client_secret: options.partner.clientSecret,
      attribute_map: SSO_ATTRIBUTE_MAP,
    });
    oidcConnectionId = connection.id;
    await admin.routing.replace(seeder, organization.id, {
      rules: [{ domain: SSO_DOMAIN, connection: SSO_CONNECTION_KEY, priority: 1 }],
      fallback_connection: null,
    });
    await addClient(container, SSO_CLIENT_DEFINITION);
  }
  let samlConnectionId: string | undefined;
  if (options.samlIdpCertificate) {
    await addClient(container, SAML_PORTAL_CLIENT_DEFINITION);
    const connection = await connect({
      key: SAML_CONNECTION_KEY,
      type: 'saml',
      idp_entity_id: SAML_IDP_ENTITY_ID,
      idp_sso_url: SAML_IDP_SSO_URL,
      idp_certificates: [options.samlIdpCertificate],
      allow_idp_initiated: true,
      idp_initiated_client: SAML_PORTAL_CLIENT,
    });
    samlConnectionId = connection.id;
  }

  const ms = Math.round(performance.now() - started);
  const made = [
    oidcConnectionId ? `OIDC connection ${oidcConnectionId} to ${options.partner?.issuer}` : '',
    samlConnectionId ? `SAML connection ${samlConnectionId}` : '',
  ].filter(Boolean);
  console.error(
    `[bench] gatehouse: seeded the SSO organization ${SSO_ORGANIZATION.slug} (domain ${SSO_DOMAIN}, ${made.join(', ')}) in ${ms} ms`,
  );
  return {
    organizationId: organization.id,
    ...(oidcConnectionId ? { oidcConnectionId } : {}),
    ...(samlConnectionId ? { samlConnectionId } : {}),
    ms,
  };
}
