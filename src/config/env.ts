import { z } from 'zod';
import { isCidr } from '../lib/cidr.js';

/**
 * Every environment variable Gatehouse reads, validated once at boot. Types come from the schema.
 * Production-only rules (no embedded services, no generated secrets) live in production-rules.ts.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Lets several deployments share one Redis without seeing each other's keys. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/)
      .default('gh:'),
    /**
     * Keep organizations, domains, connections, routing rules, roles and clients in memory across
     * requests, forgotten on every change announced by PostgreSQL (LISTEN on a connection of its
     * own). Behind a transaction-pooling proxy LISTEN hears nothing: the cache notices and keeps
     * nothing, and off spares it the probes.
     */
    CONFIGURATION_CACHE: booleanString.default(true),
    DATA_DIR: z.string().min(1).default('./data'),
    GATEHOUSE_CONFIG: z.string().min(1).optional(),
    KEYS_DIR: z.string().min(1).default('./keys'),
    /** base64url of 32 random bytes; otherwise KEYS_DIR/kek is read (and created outside production). */
    GATEHOUSE_KEK: z
      .string()
      .refine((value) => Buffer.from(value, 'base64url').length === 32, 'must be 32 bytes, base64url')
      .optional(),
    /** Comma-separated cookie signing keys, newest first, each at least 32 characters. */
    COOKIE_KEYS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((key) => key.trim())
          .filter(Boolean),
      )
      .refine(
        (keys) => keys.length > 0 && keys.every((key) => key.length >= 32),
        'each key needs 32+ characters',
      )
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: booleanString.default(false),
    /**
     * Serve organizations' verified custom login domains (login.customer.example): a request's Host
     * (X-Forwarded-Host only with TRUST_PROXY) names a brand only when this is on.
     */
    CUSTOM_DOMAINS: booleanString.default(false),
    BODY_LIMIT_BYTES: positiveInt.default(64 * 1024),
    RATE_LIMIT_TOKEN_PER_MINUTE: positiveInt.default(1200),
    RATE_LIMIT_LOGIN_PER_MINUTE: positiveInt.default(10),
    /** Seeds a demo client and user and serves the demo relying party at /demo. */
    DEMO: booleanString.optional(),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(600),
    SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
    /** SMTP relay for sign-in codes and security notices; unset: the dev outbox (log and /dev/outbox). */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default('Gatehouse <no-reply@localhost>'),
    /** How often SAML IdP metadata URLs are fetched again; 0 turns the schedule off (first use still fetches). */
    SAML_METADATA_REFRESH_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 7)
      .default(6),
    /** How often an idle webhook worker looks for events to deliver. */
    WEBHOOK_POLL_MS: positiveInt.max(60_000).default(1_000),
    /** Production only: let webhooks reach loopback, private and link-local addresses (refused by default). */
    WEBHOOK_ALLOW_INTERNAL: booleanString.default(false),
    /** Audit records older than this many days are pruned (the chains still verify); 0 keeps them all. */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
    /** Bearer token of GET /metrics (Prometheus); unset: no /metrics endpoint at all. */
    METRICS_TOKEN: z.string().min(32, 'needs 32+ characters').optional(),
    /** Comma-separated CIDR networks whose sign-ins risk-based sign-in refuses (domain/risk/known-bad-ip.ts). */
    RISK_KNOWN_BAD_IPS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((cidr) => cidr.trim())
          .filter(Boolean),
      )
      .refine((cidrs) => cidrs.every(isCidr), 'each entry must be a CIDR network such as 203.0.113.0/24')
      .default([]),
  })
  .transform((env) => ({
    ...env,
    ISSUER: (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    DEMO: env.DEMO ?? env.NODE_ENV === 'development',
  }));

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; the error names each bad variable and why, never its value. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
