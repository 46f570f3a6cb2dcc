import { inflateRawSync } from 'node:zlib';
import type { SamlBinding } from './single-logout-endpoint.js';
import type { SamlMessageParameter } from './logout-encoding.js';
import { reject } from './saml-rejection.js';

/** What arrived at the SP's SingleLogoutService, as the HTTP layer hands it over. */
export type LogoutTransport =
  /** HTTP-Redirect: the query string exactly as received (the signature covers its encoded bytes). */
  | { method: 'GET'; rawQuery: string }
  /** HTTP-POST: the parsed form. */
  | { method: 'POST'; form: Record<string, unknown> };

/** A logout message taken out of its binding, its signature not yet checked. */
export interface DecodedLogoutMessage {
  binding: SamlBinding;
  parameter: SamlMessageParameter;
  xml: string;
  /** The base64 value as sent (HTTP-POST verification works on it). */
  encoded: string;
  relayState: string | undefined;
  /** HTTP-Redirect only: what the query signature covers and claims (Bindings §3.4.4.1). */
  querySignature?: { signedOctets: string; sigAlg: string; signature: string } | undefined;
}

/** Logout messages carry a NameID and a session index or a status: a few KB at most. */
export const MAX_LOGOUT_BYTES = 64 * 1024;
const MAX_ENCODED = Math.ceil((MAX_LOGOUT_BYTES * 4) / 3) + 4;
// Bindings §3.4.3 caps RelayState at 80 bytes; IdPs are not all that strict, so some room, bounded.
const MAX_RELAY_STATE = 1024;

/**
 * Takes the SAMLRequest or SAMLResponse out of an HTTP-Redirect query (base64 of DEFLATE,
 * Bindings §3.4.4.1) or an HTTP-POST form (base64, §3.5.4). Exactly one of the two, each
 * parameter once; anything else, or a body past the size bound, is `malformed`.
 */
export function decodeLogoutMessage(transport: LogoutTransport): DecodedLogoutMessage {
  if (transport.method === 'POST') return decodePost(transport.form);
  const raw = rawParameters(transport.rawQuery);
  const parameter = messageParameter(raw.has('SAMLRequest'), raw.has('SAMLResponse'));
  const value = (name: string) => {
    const encoded = raw.get(name);
    return encoded === undefined ? undefined : decodeComponent(encoded);
  };
  // A `+` the sender left unescaped reads as a space; base64 has no spaces, so it was a `+`.
  const encoded = value(parameter)!.replace(/ /g, '+');
  const relayState = relayStateOf(value('RelayState'));
  const sigAlg = value('SigAlg');
  const signature = value('Signature');
  const signedOctets = [parameter, 'RelayState', 'SigAlg']
    .filter((name) => raw.has(name))
    .map((name) => `${name}=${raw.get(name)}`)
    .join('&');
  return {
    binding: 'redirect',
    parameter,
    xml: inflate(base64(encoded)),
    encoded,
    relayState,
    querySignature:
      sigAlg !== undefined && signature !== undefined
        ? { signedOctets, sigAlg, signature: signature.replace(/ /g, '+') }
        : undefined,
  };
}

function decodePost(form: Record<string, unknown>): DecodedLogoutMessage {
  const parameter = messageParameter(form.SAMLRequest !== undefined, form.SAMLResponse !== undefined);
  const value = form[parameter];
  if (typeof value !== 'string') reject('malformed', `${parameter} is not one value`);
  const encoded = value.replace(/\s+/g, '');
  const relayState = form.RelayState;
  if (relayState !== undefined && typeof relayState !== 'string') reject('malformed', 'bad RelayState');
  return {
    binding: 'post',
    parameter,
    xml: base64(encoded).toString('utf8'),
    encoded,
    relayState: relayStateOf(relayState),
  };
}

function messageParameter(hasRequest: boolean, hasResponse: boolean): SamlMessageParameter {
  if (hasRequest === hasResponse) reject('malformed', 'expected exactly one of SAMLRequest and SAMLResponse');
  return hasRequest ? 'SAMLRequest' : 'SAMLResponse';
}

/** The query's parameters with their values still URL-encoded; a repeated name is refused. */
function rawParameters(query: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeComponent(at < 0 ? pair : pair.slice(0, at));
    if (found.has(name)) reject('malformed', `${name.slice(0, 40)} appears more than once`);
    found.set(name, at < 0 ? '' : pair.slice(at + 1));
  }
  return found;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return reject('malformed', 'the query is not URL-encoded');
  }
}

function base64(value: string): Buffer {
  if (value.length === 0 || value.length > MAX_ENCODED || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    reject('malformed', 'the message is not base64 of a bounded size');
  }
  return Buffer.from(value, 'base64');
}

function inflate(deflated: Buffer): string {
  try {
    return inflateRawSync(deflated, { maxOutputLength: MAX_LOGOUT_BYTES }).toString('utf8');
  } catch {
    return reject('malformed', 'the message is not DEFLATE data of a bounded size');
  }
}

function relayStateOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_RELAY_STATE) reject('malformed', 'RelayState is too long');
  return value;
}
