import type { CONNECTION_PRESETS } from '../domain/organizations/connection-input.js';

/**
 * What each identity product sends by default, so `gatehouse config add-sso --provider <name>`
 * writes a connection that maps the IdP's own claim and attribute names without an operator
 * looking them up. Only names the product documents as its defaults are listed; anything a
 * customer configures themselves (custom claims, extra attribute statements) is theirs to map.
 */
export type ProviderName = (typeof CONNECTION_PRESETS)[number];
export type Protocol = 'oidc' | 'saml';

/** SAML 2.0 Core §8.3 NameID format identifiers. */
export const NAMEID_FORMATS = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const;

export interface OidcDefaults {
  /** The issuer's shape, shown in help and errors. */
  issuerExample: string;
  scopes: string[];
  /** Upstream claim -> Gatehouse attribute (see domain/provisioning/attribute-mapping.ts). */
  attributeMap: Record<string, string>;
}

export interface SamlDefaults {
  metadataUrlExample: string;
  /** The NameID format to choose at the IdP: the NameID becomes the identity's subject. */
  nameIdFormat: string;
  /** The attribute carrying the email, when the product has a fixed one. */
  emailAttribute?: string;
  /** Upstream attribute name -> Gatehouse attribute. */
  attributeMap: Record<string, string>;
}

export interface ProviderPreset {
  label: string;
  oidc?: OidcDefaults;
  saml?: SamlDefaults;
}

// WS-Federation claim types, which Entra ID, AD FS and Auth0 also use as SAML attribute names.
const WS_CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const MS_CLAIMS = 'http://schemas.microsoft.com/identity/claims/';
const MS_2008_CLAIMS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/';

const STANDARD_SCOPES = ['openid', 'email', 'profile'];

/** Names of people as WS-Federation claims carry them; email comes from EMAIL_ATTRIBUTES upstream. */
const WS_PERSON = {
  [`${WS_CLAIMS}givenname`]: 'given_name',
  [`${WS_CLAIMS}surname`]: 'family_name',
};

export const PROVIDER_PRESETS: Readonly<Record<ProviderName, ProviderPreset>> = {
  'azure-ad': {
    label: 'Microsoft Entra ID (Azure AD)',
    oidc: {
      issuerExample: 'https://login.microsoftonline.com/<tenant id>/v2.0',
      scopes: STANDARD_SCOPES,
      // ID token claims of the Microsoft identity platform v2.0: object and tenant ids never change.
      attributeMap: { oid: 'entra_object_id', tid: 'entra_tenant_id', groups: 'groups', roles: 'app_roles' },
    },
    saml: {
      metadataUrlExample:
        'https://login.microsoftonline.com/<tenant id>/federationmetadata/2007-06/federationmetadata.xml?appid=<application id>',
      nameIdFormat: NAMEID_FORMATS.persistent,
      emailAttribute: `${WS_CLAIMS}emailaddress`,
      attributeMap: {
        ...WS_PERSON,
        [`${MS_CLAIMS}displayname`]: 'name',
        [`${MS_CLAIMS}objectidentifier`]: 'entra_object_id',
        [`${MS_CLAIMS}tenantid`]: 'entra_tenant_id',
        [`${MS_2008_CLAIMS}groups`]: 'groups',
        [`${MS_2008_CLAIMS}role`]: 'app_roles',
      },
    },
  },
  okta: {
    label: 'Okta',
    oidc: {
      issuerExample: 'https://<your org>.okta.com',
      scopes: STANDARD_SCOPES,
      attributeMap: { groups: 'groups' },
    },
    saml: {
      metadataUrlExample: 'https://<your org>.okta.com/app/<app id>/sso/saml/metadata',
      nameIdFormat: NAMEID_FORMATS.email,
      emailAttribute: 'email',
      // The attribute statements Okta's SAML app wizard suggests.
      attributeMap: { firstName: 'given_name', lastName: 'family_name', groups: 'groups' },
    },
  },
  pingfederate: {
    label: 'PingFederate',
    oidc: {
      issuerExample: 'https://<pingfederate host>:9031',
      scopes: STANDARD_SCOPES,
      attributeMap: { groups: 'groups' },
    },
    saml: {
      metadataUrlExample:
        'https://<pingfederate host>:9031/pf/federation_metadata.ping?PartnerSpId=<SP entity ID>',
      nameIdFormat: NAMEID_FORMATS.email,
      emailAttribute: 'mail',
      // LDAP attribute names, as PingFederate passes them from a directory data store.
      attributeMap: { givenName: 'given_name', sn: 'family_name', cn: 'name', memberOf: 'groups' },
    },
  },
  adfs: {
    label: 'Active Directory Federation Services',
    oidc: {
      issuerExample: 'https://<adfs host>/adfs',
      scopes: STANDARD_SCOPES,
      attributeMap: { upn: 'upn', unique_name: 'windows_account_name' },
    },
    saml: {
      metadataUrlExample: 'https://<adfs host>/FederationMetadata/2007-06/FederationMetadata.xml',
      nameIdFormat: NAMEID_FORMATS.persistent,
      emailAttribute: `${WS_CLAIMS}emailaddress`,
      attributeMap: {
        ...WS_PERSON,
        [`${WS_CLAIMS}name`]: 'name',
        [`${WS_CLAIMS}upn`]: 'upn',
        'http://schemas.xmlsoap.org/claims/Group': 'groups',
        [`${MS_2008_CLAIMS}role`]: 'app_roles',
      },
    },
  },
  auth0: {
    label: 'Auth0',
    oidc: {
      // Auth0's issuer ends with a slash, and the `iss` of its tokens does too.
      issuerExample: 'https://<tenant>.<region>.auth0.com/',
      scopes: STANDARD_SCOPES,
      attributeMap: { nickname: 'nickname' },
    },
    saml: {
      metadataUrlExample: 'https://<tenant>.<region>.auth0.com/samlp/metadata/<client id>',
      nameIdFormat: NAMEID_FORMATS.unspecified,
      emailAttribute: `${WS_CLAIMS}emailaddress`,
      attributeMap: { ...WS_PERSON, [`${WS_CLAIMS}name`]: 'name', [`${WS_CLAIMS}upn`]: 'upn' },
    },
  },
  cognito: {
    label: 'Amazon Cognito',
    oidc: {
      issuerExample: 'https://cognito-idp.<region>.amazonaws.com/<user pool id>',
      scopes: STANDARD_SCOPES,
      attributeMap: { 'cognito:groups': 'groups', 'cognito:username': 'cognito_username' },
    },
  },
  oidc: {
    label: 'an OpenID Connect provider',
    oidc: { issuerExample: 'https://idp.example.com', scopes: STANDARD_SCOPES, attributeMap: {} },
  },
  saml: {
    label: 'a SAML 2.0 identity provider',
    saml: {
      metadataUrlExample: 'https://idp.example.com/saml/metadata',
      nameIdFormat: NAMEID_FORMATS.email,
      attributeMap: {},
    },
  },
};

/** The protocols a product offers, OIDC first where it has both. */
export function protocolsOf(preset: ProviderPreset): Protocol[] {
  return [...(preset.oidc ? (['oidc'] as const) : []), ...(preset.saml ? (['saml'] as const) : [])];
}
