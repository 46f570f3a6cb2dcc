/** One plain-text email. Plain text only: no HTML to sanitize, nothing a mail client can load remotely. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends email (SMTP in production, the dev outbox otherwise). Rejects when the message could not
 * be handed over; callers decide whether that stops what they were doing.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
