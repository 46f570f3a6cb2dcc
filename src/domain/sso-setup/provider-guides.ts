import { PROVIDER_PRESETS, type ProviderName } from '../../cli/provider-presets.js';
import type { ConnectionType } from '../ports/connections.js';

/**
 * Step-by-step instructions for the customer's administrator, per identity product, in the words
 * of that product's own console. `{entity_id}`, `{acs_url}`, `{metadata_url}` and
 * `{redirect_uri}` are filled in with the connection's values when the page is shown.
 */
export interface ProviderGuide {
  /** The URL segment: /portal/sso/new/<id>. */
  id: string;
  label: string;
  protocol: ConnectionType;
  preset: ProviderName;
  steps: string[];
  /** Where the IdP's metadata (SAML) or issuer (OIDC) usually is. */
  example: string;
  /** Upstream name -> Gatehouse attribute: the product's documented defaults. */
  attributeMap: Record<string, string>;
}

const saml = (preset: ProviderName) => PROVIDER_PRESETS[preset].saml!;
const oidc = (preset: ProviderName) => PROVIDER_PRESETS[preset].oidc!;

export const PROVIDER_GUIDES: readonly ProviderGuide[] = [
  {
    id: 'entra-id',
    label: 'Microsoft Entra ID',
    protocol: 'saml',
    preset: 'azure-ad',
    steps: [
      'In the Entra admin center open Enterprise applications → New application → Create your own application (“Integrate any other application”).',
      'Under Single sign-on choose SAML. In Basic SAML Configuration set Identifier (Entity ID) to {entity_id} and Reply URL (ACS URL) to {acs_url}.',
      'Under Attributes & Claims keep the default claims; add a group claim if roles should follow groups.',
      'Under SAML Certificates copy the App Federation Metadata Url and paste it below.',
      'Assign the users or groups who may sign in (Users and groups).',
    ],
    example: saml('azure-ad').metadataUrlExample,
    attributeMap: saml('azure-ad').attributeMap,
  },
  {
    id: 'okta',
    label: 'Okta',
    protocol: 'saml',
    preset: 'okta',
    steps: [
      'In the Okta admin console open Applications → Create App Integration → SAML 2.0.',
      'Set Single sign-on URL to {acs_url} (“Use this for Recipient URL and Destination URL” checked) and Audience URI (SP Entity ID) to {entity_id}.',
      'Name ID format: EmailAddress. Add attribute statements firstName, lastName and email, and a group attribute statement “groups” if roles should follow groups.',
      'On the Sign On tab copy the Metadata URL and paste it below.',
      'Assign the people or groups who may sign in.',
    ],
    example: saml('okta').metadataUrlExample,
    attributeMap: saml('okta').attributeMap,
  },
  {
    id: 'google-workspace',
    label: 'Google Workspace',
    protocol: 'saml',
    preset: 'saml',
    steps: [
      'In the Google Admin console open Apps → Web and mobile apps → Add app → Add custom SAML app.',
      'On “Google Identity Provider details” download the IdP metadata; upload or paste it below.',
      'On “Service provider details” set ACS URL to {acs_url}, Entity ID to {entity_id}, Name ID format EMAIL and Name ID “Basic Information > Primary email”.',
      'Under Attribute mapping map First name to given_name and Last name to family_name.',
      'Turn the app ON for the organizational units or groups who may sign in.',
    ],
    example: 'Google Workspace gives its metadata as a file (GoogleIDPMetadata.xml): upload it.',
    attributeMap: {},
  },
  {
    id: 'pingfederate',
    label: 'PingFederate',
    protocol: 'saml',
    preset: 'pingfederate',
    steps: [
      'In PingFederate create an SP Connection (Browser SSO profile, SAML 2.0) and import our SP metadata from {metadata_url}.',
      'Check that the Assertion Consumer Service URL is {acs_url} (HTTP-POST) and the partner entity ID is {entity_id}.',
      'Map SAML_SUBJECT to the email address and pass mail, givenName and sn as attributes; sign the assertion with SHA-256.',
      'Export the IdP metadata (or give its federation_metadata.ping URL) below.',
    ],
    example: saml('pingfederate').metadataUrlExample,
    attributeMap: saml('pingfederate').attributeMap,
  },
  {
    id: 'adfs',
    label: 'Active Directory Federation Services',
    protocol: 'saml',
    preset: 'adfs',
    steps: [
      'In AD FS Management add a Relying Party Trust, “Import data about the relying party published online”, with {metadata_url}.',
      'Or enter it manually: relying party identifier {entity_id}, SAML 2.0 WebSSO endpoint {acs_url}.',
      'Add claim issuance rules: send LDAP attributes E-Mail-Addresses as E-Mail Address, Given-Name, Surname; transform E-Mail Address to Name ID (Email).',
      'Give your AD FS FederationMetadata URL below.',
    ],
    example: saml('adfs').metadataUrlExample,
    attributeMap: saml('adfs').attributeMap,
  },
  {
    id: 'oidc',
    label: 'Another OpenID Connect provider',
    protocol: 'oidc',
    preset: 'oidc',
    steps: [
      'At your identity provider register a new web application (confidential client, authorization code flow).',
      'Set its redirect (callback) URI to exactly {redirect_uri}.',
      'Allow the scopes openid, email and profile, and let the ID token carry email and email_verified.',
      'Give its issuer (the URL before /.well-known/openid-configuration), the client ID and the client secret below.',
    ],
    example: oidc('oidc').issuerExample,
    attributeMap: {},
  },
  {
    id: 'saml',
    label: 'Another SAML 2.0 provider',
    protocol: 'saml',
    preset: 'saml',
    steps: [
      'At your identity provider add a SAML 2.0 service provider; import our SP metadata from {metadata_url} if it can.',
      'Otherwise set the ACS URL (HTTP-POST) to {acs_url} and the SP entity ID (audience) to {entity_id}.',
      'Sign assertions with SHA-256; send the email address as NameID or in an email attribute.',
      'Give its metadata URL, or upload or paste its metadata, below.',
    ],
    example: saml('saml').metadataUrlExample,
    attributeMap: {},
  },
];

export const providerGuide = (id: string): ProviderGuide | undefined =>
  PROVIDER_GUIDES.find((guide) => guide.id === id);

/** Where a connection's IdP must send people back, as the guides show them. */
export interface ServiceProviderValues {
  entity_id: string;
  acs_url: string;
  metadata_url: string;
  redirect_uri: string;
}

export function serviceProviderValues(issuer: string, connectionId: string): ServiceProviderValues {
  const entityId = `${issuer}/sso/saml/${connectionId}`;
  return {
    entity_id: entityId,
    acs_url: `${entityId}/acs`,
    metadata_url: `${entityId}/metadata`,
    redirect_uri: `${issuer}/sso/oidc/${connectionId}/callback`,
  };
}

/** A guide's steps with the connection's values in place of the placeholders. */
export const guideSteps = (guide: ProviderGuide, values: ServiceProviderValues): string[] =>
  guide.steps.map((step) =>
    step.replace(
      /\{(entity_id|acs_url|metadata_url|redirect_uri)\}/g,
      (_, name: keyof ServiceProviderValues) => values[name],
    ),
  );
