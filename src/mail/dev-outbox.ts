import type { Logger } from 'pino';
import type { Mailer, MailMessage } from '../domain/ports/mailer.js';

export interface OutboxMessage extends MailMessage {
  sentAt: Date;
}

/** Enough to follow a few sign-ins; older messages drop off so a long-running dev server stays small. */
const KEPT = 50;

/**
 * The mailer of the embedded default (no SMTP_URL): each message goes to the log and to an
 * in-memory list, which /dev/outbox shows and tests read through the container. The body (which
 * may hold a sign-in code) is logged only in development, where nobody else's codes pass through.
 */
export function createDevOutbox(options: { logger: Logger; logBodies: boolean; now?: () => Date }) {
  const messages: OutboxMessage[] = [];
  const now = options.now ?? (() => new Date());
  const mailer: Mailer = {
    async send(message) {
      messages.push({ ...message, sentAt: now() });
      if (messages.length > KEPT) messages.splice(0, messages.length - KEPT);
      const body = options.logBodies ? { text: message.text } : {};
      options.logger.info(
        { event: 'mail.outbox', to: message.to, subject: message.subject, ...body },
        'email kept in the dev outbox (SMTP_URL is not set)',
      );
    },
  };
  return { mailer, messages: messages as readonly OutboxMessage[] };
}
