/**
 * The one place audit snapshots lose their secrets, whatever the caller put in them: passwords
 * and their hashes, client and webhook secrets, bearer tokens and codes, private keys, sealed
 * ciphertexts. Callers already leave them out (views such as `factorView`); this is the net under
 * them, so a new field named like a secret cannot reach the log unnoticed.
 */
export const REDACTED = '[redacted]';

/** A member whose name holds one of these words is a secret wherever the word stands. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'ciphertext',
  'pepper',
  'otp',
]);
/** ... or whose name ends in one of these. */
const SECRET_LAST_WORDS = new Set([
  'token',
  'tokens',
  'hash',
  'hashes',
  'ct',
  'cookie',
  'cookies',
  'assertion',
  'authorization',
  'credential',
  'credentials',
]);
/** `code` is a secret in these names (authorizationCode, recoveryCodes), not in countryCode. */
const CODE_CONTEXTS = new Set([
  'auth',
  'authorization',
  'recovery',
  'backup',
  'sign',
  'in',
  'verification',
  'email',
  'mfa',
  'user',
  'device',
  'one',
  'time',
  'login',
]);
const KEY_WORDS = new Set(['key', 'jwk', 'pem']);
/** `key` is a secret in these names (apiKey, privateKey), not in publicKey or userNameKey. */
const KEY_CONTEXTS = new Set(['api', 'private', 'signing', 'secret', 'encryption', 'session', 'client']);
/** Facts about a secret rather than the secret: passwordChangedAt, secretExpiresAt, passwordMinLength. */
const FACT_LAST_WORDS = new Set([
  'at',
  'count',
  'length',
  'min',
  'max',
  'policy',
  'enabled',
  'required',
  'allowed',
  'method',
  'methods',
  'type',
  'id',
  'ttl',
  'seconds',
  'days',
  'rotated',
  'expires',
  'set',
  'status',
  'version',
  'remaining',
  'unused',
]);
/** RFC 7518 §6.2.2, §6.3.2, §6.4: the private and symmetric members of a JWK. */
const PRIVATE_JWK_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

/** Values that are secrets whatever they are called: bearer tokens, JWTs, PEM private keys, sealed secrets. */
const SECRET_VALUES = [
  /^gh_[A-Za-z0-9_-]{40,}$/,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/,
];

/** `clientSecretExpiresAt` -> client, secret, expires, at; `password_hash` -> password, hash. */
const wordsOf = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

// Snapshots repeat the same few member names; the answer for each is fixed, so it is worked out
// once (a bounded set: beyond it, names are judged afresh each time).
const judgedNames = new Map<string, boolean>();
const JUDGED_NAMES_KEPT = 10_000;

export function isSecretName(name: string): boolean {
  const judged = judgedNames.get(name);
  if (judged !== undefined) return judged;
  const secret = judgeName(name);
  if (judgedNames.size < JUDGED_NAMES_KEPT) judgedNames.set(name, secret);
  return secret;
}

function judgeName(name: string): boolean {
  const words = wordsOf(name);
  const last = words.at(-1);
  if (last === undefined || (words.length > 1 && FACT_LAST_WORDS.has(last))) return false;
  const before = words.at(-2);
  if (words.some((word) => SECRET_WORDS.has(word)) || SECRET_LAST_WORDS.has(last)) return true;
  if (last === 'code' || last === 'codes') return before === undefined || CODE_CONTEXTS.has(before);
  if (words.includes('private') && words.some((word) => KEY_WORDS.has(word))) return true;
  return KEY_WORDS.has(last) && before !== undefined && KEY_CONTEXTS.has(before);
}

const isJwk = (value: Record<string, unknown>) => typeof value.kty === 'string';

/** jsonb refuses U+0000 (PostgreSQL cannot store it in text): it becomes U+FFFD. */
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

function redactValue(value: unknown): unknown {
  if (typeof value === 'string')
    return SECRET_VALUES.some((pattern) => pattern.test(value)) ? REDACTED : storable(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const jwk = isJwk(object);
  return Object.fromEntries(
    Object.entries(object).map(([name, member]) => {
      const secret = (jwk && PRIVATE_JWK_MEMBERS.has(name)) || isSecretName(name);
      // A flag or an empty value says whether a secret exists, never what it is.
      const keep = !secret || member === null || typeof member === 'boolean';
      return [storable(name), keep ? redactValue(member) : REDACTED];
    }),
  );
}

/**
 * The snapshot as stored: plain JSON (dates as ISO strings, undefined members dropped, like
 * JSON.stringify), secrets replaced by `[redacted]`. Nothing (null, undefined) stays null.
 */
export function redactSnapshot(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return null;
  return redactValue(JSON.parse(json));
}
