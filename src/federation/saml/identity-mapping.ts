import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import type { TrustedAssertion } from './assertion-reader.js';
import { authenticationMethods } from './authn-context.js';

const EMAIL_NAMEID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
// Where IdPs put the email when the connection does not say: LDAP `mail` (with its OID, the
// SAML V2.0 X.500/LDAP Attribute Profile spelling), plain `email`, and the WS-Federation claim
// Entra ID and AD FS send.
const EMAIL_ATTRIBUTES = [
  'mail',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'email',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];

/**
 * The verified assertion as the domain's UpstreamIdentity: the NameID is the subject, every
 * attribute a claim (one value as a string, several as an array; statements merged), plus
 * `nameid_format` so an attribute map can see what kind of NameID it got.
 */
export function toUpstreamIdentity(
  connectionId: string,
  settings: SamlSettings,
  assertion: TrustedAssertion,
): UpstreamIdentity {
  const claims: Record<string, unknown> = {};
  const values = new Map<string, string[]>();
  for (const { name, values: list } of assertion.attributes) {
    if (!name) continue;
    values.set(name, [...(values.get(name) ?? []), ...list]);
  }
  for (const [name, list] of values) claims[name] = list.length === 1 ? list[0] : list;
  const nameId = assertion.nameId!;
  if (nameId.format) claims.nameid_format = nameId.format;
  const first = (name: string) => values.get(name)?.find((value) => value.trim() !== '');
  const fromAttributes = settings.email_attribute
    ? first(settings.email_attribute)
    : EMAIL_ATTRIBUTES.map(first).find((value) => value !== undefined);
  const email = fromAttributes ?? (nameId.format === EMAIL_NAMEID ? nameId.value : undefined);
  const sessionIndex = assertion.authnStatements.find((statement) => statement.sessionIndex)?.sessionIndex;
  const instants = assertion.authnStatements
    .map((statement) => Date.parse(statement.authnInstant ?? ''))
    .filter((time) => !Number.isNaN(time));
  return {
    connectionId,
    protocol: 'saml',
    subject: nameId.value,
    claims,
    email: email?.trim(),
    authenticationMethods: authenticationMethods(assertion.authnStatements.map((s) => s.classRef)),
    authenticatedAt: instants.length > 0 ? new Date(Math.max(...instants)) : undefined,
    samlSession: {
      ...(nameId.format ? { nameIdFormat: nameId.format } : {}),
      ...(sessionIndex ? { sessionIndex } : {}),
    },
  };
}
