import { reject } from './saml-rejection.js';
import { attribute, childElements, NS, onlyChild, textOf } from './xml-document.js';

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * SAML Core §3.2.2.2: only a top-level StatusCode of Success means the request was fulfilled.
 * Anything else is a failure even when the IdP attached an assertion (node-saml processes the
 * assertion and never reads the status then), and it is refused before any signature work: an
 * IdP's error answers are often unsigned, and refusing costs an attacker nothing they lack.
 */
export function assertSuccess(response: Element): void {
  const status = onlyChild(response, NS.protocol, 'Status');
  const code = status && onlyChild(status, NS.protocol, 'StatusCode');
  const value = code && attribute(code, 'Value');
  if (!value) reject('malformed', 'the response has no StatusCode');
  if (value === STATUS_SUCCESS) return;
  const second = code && childElements(code, NS.protocol, 'StatusCode')[0];
  const detail = second && attribute(second, 'Value');
  const message = status && onlyChild(status, NS.protocol, 'StatusMessage');
  reject(
    'status_not_success',
    `the IdP answered ${lastPart(value!)}${detail ? `/${lastPart(detail)}` : ''}${
      message ? `: ${printable(textOf(message))}` : ''
    }`,
    value,
  );
}

const lastPart = (urn: string) => printable(urn.slice(urn.lastIndexOf(':') + 1));

// The IdP's words go to logs: bounded, one line, no control characters.
const printable = (text: string) =>
  text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim()
    .slice(0, 200);
