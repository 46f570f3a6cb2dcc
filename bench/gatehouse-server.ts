import pino from 'pino';
import { parseEnv } from '../src/config/env.js';
import { buildContainer } from '../src/container.js';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import { startServer } from '../src/server.js';
import { CLIENT_DEFINITIONS, USER } from './settings.js';

/**
 * Child process: a real Gatehouse (PostgreSQL + Redis, from the environment the orchestrator
 * passes), seeded with the bench clients and user. Reports its URL over IPC; stops on 'stop'.
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const container = await buildContainer(env, pino({ level: env.LOG_LEVEL }));
  for (const definition of CLIENT_DEFINITIONS) {
    const client = clientDefinitionSchema.parse(definition);
    await container.db.clients.upsert(clientRecordFrom(client, container.envelope, null));
  }
  await container.accounts.create({ email: USER.email, password: USER.password, name: USER.name });
  const server = await startServer(container, env.PORT, '127.0.0.1');

  process.on('message', (message) => {
    if (message !== 'stop') return;
    server
      .stop(1_000)
      .catch((error) => console.error('gatehouse stop failed', error))
      .finally(() => process.exit(0));
  });
  // The orchestrator died without saying stop: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.send?.({ ready: true, issuer: env.ISSUER });
}

main().catch((error) => {
  console.error('gatehouse bench server failed to start', error);
  process.exit(1);
});
