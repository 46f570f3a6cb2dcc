import nodemailer from 'nodemailer';
import type { Mailer } from '../domain/ports/mailer.js';

/**
 * Email through an SMTP relay named by one URL (`smtp://user:pass@host:587`, or `smtps://` for
 * implicit TLS). nodemailer upgrades a plain connection with STARTTLS when the server offers it.
 */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from: options.from, to, subject, text });
    },
  };
}
