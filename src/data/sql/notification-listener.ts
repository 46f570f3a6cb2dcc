import pg from 'pg';

export interface NotificationHandlers {
  /** A notification arrived on the channel, with its payload. */
  onNotification(payload: string): void;
  /** Listening began (true) or the connection that listened was lost (false). */
  onListening(listening: boolean): void;
  onError(error: Error): void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * LISTEN on a connection of its own, outside the pool (a pooled connection is handed to other
 * queries between uses). A lost connection is reported, then opened again after `retryMs`: the
 * notifications sent meanwhile are lost, which is why onListening(false) comes first.
 */
export function listenOnPostgres(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
  retryMs = 1_000,
): NotificationListener {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const lost = (current: pg.Client) => {
    if (client !== current) return;
    client = undefined;
    handlers.onListening(false);
    current.end().catch(() => {});
    if (!closed) retry = setTimeout(connect, retryMs).unref();
  };
  const connect = async () => {
    retry = undefined;
    const current = new pg.Client({ connectionString: url });
    client = current;
    current.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotification(message.payload ?? '');
    });
    current.on('error', (error) => {
      handlers.onError(error);
      lost(current);
    });
    current.on('end', () => lost(current));
    try {
      await current.connect();
      await current.query(`LISTEN "${channel}"`);
      if (client === current) handlers.onListening(true);
    } catch (error) {
      handlers.onError(error as Error);
      lost(current);
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      if (current) {
        handlers.onListening(false);
        await current.end().catch(() => {});
      }
    },
  };
}
