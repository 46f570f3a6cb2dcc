import { randomBytes } from 'node:crypto';
import { envLine } from '../env-file.js';
import type { Template, TemplateSecret } from './template.js';

export interface RenderedEnv {
  text: string;
  /** Variables given a new random value. */
  generated: string[];
  /** Variables whose value was taken from the .env file being replaced. */
  kept: string[];
}

/**
 * 32 random bytes, base64url: what GATEHOUSE_KEK must be (env.ts) and what config/secrets.ts
 * generates for the key-encryption key and cookie keys when it creates them itself.
 */
const randomKey = () => randomBytes(32).toString('base64url');
/** 144 random bits: well above MIN_PASSWORD_LENGTH, and plain enough for any .env reader. */
const randomPassword = () => randomBytes(18).toString('base64url');

/** Where `npm start` listens. */
const DEFAULT_ISSUER = 'http://localhost:3000';

const valueOf = (secret: TemplateSecret) => (secret.kind === 'password' ? randomPassword() : randomKey());

/**
 * The .env for a template: the key-encryption key, cookie keys and every secret the YAML
 * references. Values already in the .env being replaced are kept (`init --force`): a new
 * GATEHOUSE_KEK would make every secret sealed under the old one unreadable.
 */
export function renderEnvFile(
  template: Template,
  issuer: string | undefined,
  previous: Readonly<Record<string, string>>,
): RenderedEnv {
  const generated: string[] = [];
  const kept: string[] = [];
  const assign = (name: string, make: () => string, comment: string) => {
    const old = previous[name];
    if (old) kept.push(name);
    else generated.push(name);
    return `# ${comment}\n${envLine({ name, value: old || make() })}\n`;
  };
  const text =
    `# Gatehouse environment for the ${template.name} template, written by \`gatehouse init\`.\n` +
    '# Load it before running gatehouse or the server:\n' +
    '#   set -a; . ./.env; set +a          (a POSIX shell)\n' +
    '#   docker run --env-file .env ...    (a container)\n' +
    '# It holds the keys protecting every secret Gatehouse stores: keep it out of version control,\n' +
    '# and a copy of GATEHOUSE_KEK somewhere safe (without it, stored secrets cannot be read).\n\n' +
    '# Where Gatehouse is reached: every URL given to applications and IdPs derives from it.\n' +
    `${envLine({ name: 'ISSUER', value: issuer ?? (previous.ISSUER || DEFAULT_ISSUER) })}\n` +
    '# PostgreSQL and Redis; without them, an embedded database in DATA_DIR and an in-process store.\n' +
    '# DATABASE_URL=postgresql://gatehouse@localhost:5432/gatehouse\n' +
    '# REDIS_URL=redis://localhost:6379\n' +
    '# Apply the file at every start (otherwise run `gatehouse apply -f gatehouse.yaml` yourself).\n' +
    '# GATEHOUSE_CONFIG=./gatehouse.yaml\n\n' +
    assign(
      'GATEHOUSE_KEK',
      randomKey,
      'Key-encryption key (AES-256-GCM): seals signing keys and client secrets at rest.',
    ) +
    assign('COOKIE_KEYS', randomKey, 'Cookie signing keys, newest first, comma-separated.') +
    '\n# Secrets gatehouse.yaml references as ${VARIABLE}.\n' +
    template.secrets.map((secret) => assign(secret.name, () => valueOf(secret), secret.comment)).join('');
  return { text, generated, kept };
}
