import { describe, expect, it } from '@jest/globals';
import { RuleViolationError } from '../../../src/domain/errors.js';
import { assertWebhookUrl, webhookCreateSchema } from '../../../src/domain/organizations/webhook-input.js';

describe('webhook URLs', () => {
  const production = (url: string) => () => assertWebhookUrl(url, false);
  const development = (url: string) => () => assertWebhookUrl(url, true);

  it('takes https anywhere', () => {
    expect(production('https://hooks.example.com/gatehouse?tenant=1')()).toBe(
      'https://hooks.example.com/gatehouse?tenant=1',
    );
  });

  it('takes plain http in production only to the loopback host', () => {
    expect(production('http://127.0.0.1:9000/hook')()).toBe('http://127.0.0.1:9000/hook');
    expect(production('http://localhost/hook')()).toBe('http://localhost/hook');
    expect(production('http://[::1]:8080/hook')()).toBe('http://[::1]:8080/hook');
    expect(production('http://hooks.example.com/hook')).toThrow(RuleViolationError);
  });

  it('takes plain http anywhere outside production', () => {
    expect(development('http://receiver.internal:8080/hook')()).toBe('http://receiver.internal:8080/hook');
  });

  it('refuses other schemes, credentials, fragments and relative URLs', () => {
    for (const url of [
      'ftp://example.com/hook',
      'https://user:pass@example.com/hook',
      'https://example.com/hook#part',
      '/hook',
      'javascript:alert(1)',
    ]) {
      expect(development(url)).toThrow(
        expect.objectContaining({ code: 'invalid_webhook_url', field: 'url' }),
      );
    }
  });

  it('knows the event types and defaults to all of them', () => {
    expect(webhookCreateSchema.parse({ url: 'https://example.com' })).toEqual({
      url: 'https://example.com',
      event_types: [],
    });
    expect(
      webhookCreateSchema.safeParse({ url: 'https://x.test', event_types: ['user.renamed'] }).success,
    ).toBe(false);
  });
});
