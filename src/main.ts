import { ConfigFileError } from './config/declarative/load.js';
import { ConfigError, parseEnv } from './config/env.js';
import { assertProductionReady, productionWarnings } from './config/production-rules.js';
import { kekFileExists } from './config/secrets.js';
import { buildContainer } from './container.js';
import { createLogger } from './lib/logger.js';
import { startServer } from './server.js';

/** Process entry: validate config, wire, listen, and shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  assertProductionReady(env, kekFileExists(env));
  const logger = createLogger(env);
  for (const warning of productionWarnings(env)) logger.warn(warning);
  const container = await buildContainer(env, logger);
  const running = await startServer(container, env.PORT, env.HOST);
  logger.info({ issuer: env.ISSUER, listening: running.url }, 'gatehouse is listening');
  if (container.demo) {
    const { url, email, password, clientId } = container.demo.credentials;
    process.stdout.write(
      `\n  Gatehouse is running at ${env.ISSUER}\n` +
        `  Try a login:  ${url}\n` +
        `  Demo user:    ${email} / ${password}\n` +
        `  Demo client:  ${clientId} (public, PKCE)\n` +
        `  Discovery:    ${env.ISSUER}/.well-known/openid-configuration\n\n`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    running
      .stop(env.SHUTDOWN_GRACE_MS)
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ConfigFileError) {
    process.stderr.write(`gatehouse: ${error.message}\n`);
  } else {
    process.stderr.write(
      `gatehouse: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
