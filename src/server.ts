import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Container } from './container.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to graceMs), then closes stores. */
  stop(graceMs?: number): Promise<void>;
}

const KEY_REFRESH_MS = 30_000;
// Expired grants and refresh tokens already read as missing; this only gives the space back.
const PURGE_MS = 10 * 60_000;

/** Listens with the app and keeps the provider's keys in step with rotations made elsewhere. */
export async function startServer(container: Container, port: number, host: string): Promise<RunningServer> {
  const server = createServer(createApp(container));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const refresh = setInterval(() => {
    container.providerHost
      .refreshKeys()
      .catch((error) => container.logger.error({ err: error }, 'key refresh failed'));
  }, KEY_REFRESH_MS);
  refresh.unref();
  const purge = setInterval(() => {
    container
      .purgeExpired()
      .then((count) => count > 0 && container.logger.info({ count }, 'purged expired grants and tokens'))
      .catch((error) => container.logger.error({ err: error }, 'purge of expired rows failed'));
  }, PURGE_MS);
  purge.unref();
  container.samlMetadataSchedule.start();
  container.webhookWorker.start();

  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  const stop = async (graceMs: number) => {
    clearInterval(refresh);
    clearInterval(purge);
    container.samlMetadataSchedule.stop();
    // Aborts deliveries in flight: their events go again from the database cursor after restart.
    const worker = container.webhookWorker.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections turn idle as their last response goes out: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(force);
    await worker;
    await container.close();
  };
  return {
    server,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    stop: (graceMs = 10_000) => (stopping ??= stop(graceMs)),
  };
}
