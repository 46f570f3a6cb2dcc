import { assertionXml, encode, responseXml, type ResponseShape } from './response-builder.js';
import { fixtureKey, type FixtureKey } from './saml-context.js';
import { encryptAssertion, signElement, type SignOptions } from './xml-signing.js';

export interface RespondOptions extends SignOptions {
  /** Which elements carry a signature (default: the assertion, like most IdPs). */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  key?: FixtureKey;
  encrypt?: boolean;
}

/** A hand-built response as the IdP would post it, as the unencoded XML and the form value. */
export async function respond(shape: ResponseShape, options: RespondOptions = {}) {
  const key = fixtureKey(options.key ?? 'idp');
  const sign = options.sign ?? 'assertion';
  let assertion = assertionXml(shape);
  if (sign === 'assertion' || sign === 'both') assertion = signElement(assertion, 'Assertion', key, options);
  if (options.encrypt) assertion = await encryptAssertion(assertion, fixtureKey('sp').certificate);
  let xml = responseXml(shape, assertion);
  if (sign === 'response' || sign === 'both') xml = signElement(xml, 'Response', key, options);
  return { xml, form: { SAMLResponse: encode(xml) } };
}
