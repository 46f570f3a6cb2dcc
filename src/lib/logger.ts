import pino, { type DestinationStream, type Logger } from 'pino';

/** Never logged: credentials in headers and any field that carries a secret or a token. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.code',
];

export function createLogger(options: { LOG_LEVEL: string }, destination?: DestinationStream): Logger {
  const settings = { level: options.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(settings, destination) : pino(settings);
}
