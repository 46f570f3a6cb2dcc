import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { SAML_IDP_ENTITY_ID } from '../support/saml-partner.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const DAY_MS = 86_400_000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** An IdP certificate that stops being valid in `days` days (and a few hours, so the day count is exact). */
async function certificateExpiringIn(days: number, name: string): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${randomBytes(8).toString('hex')}`,
      name: [{ CN: [name] }],
      notBefore: new Date(Date.now() - 300 * DAY_MS),
      notAfter: new Date(Date.now() + days * DAY_MS + 6 * 3_600_000),
      keys,
      signingAlgorithm: ALGORITHM,
    },
    webcrypto as unknown as Crypto,
  );
  return certificate.toString('pem');
}

describe('connection health: certificate expiry warnings, banner, admin API', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let receiver: WebhookReceiver;
  let organizationId: string;

  const addSamlConnection = (key: string, certificate: string) =>
    api.expect(201, `/organizations/${organizationId}/connections`, {
      method: 'POST',
      json: {
        key,
        type: 'saml',
        idp_entity_id: SAML_IDP_ENTITY_ID,
        idp_sso_url: 'https://idp.example.test/sso',
        idp_certificates: [certificate],
      },
    });
  const warnings = async () =>
    (await gh.container.db.events.listAfter(organizationId, 0, 100)).filter(
      (event) => event.type === 'connection.certificate_expiring',
    );

  beforeAll(async () => {
    gh = await startGatehouse({ WEBHOOK_POLL_MS: '100' });
    api = adminApi(gh, await adminKey(gh));
    receiver = await startWebhookReceiver();
    organizationId = (await createOrganization(gh, 'Expiring Certs Co')).id;
    await api.expect(201, `/organizations/${organizationId}/webhooks`, {
      method: 'POST',
      json: { url: receiver.url('/hooks'), event_types: ['connection.certificate_expiring'] },
    });
  }, 90_000);
  afterAll(async () => {
    await receiver?.close();
    await gh?.stop();
  }, 60_000);

  it('warns once per threshold and certificate: a webhook event, recorded in the health row', async () => {
    const soon = await addSamlConnection('soon', await certificateExpiringIn(20, 'Soon IdP'));
    const sooner = await addSamlConnection('sooner', await certificateExpiringIn(10, 'Sooner IdP'));
    await addSamlConnection('later', await certificateExpiringIn(100, 'Later IdP'));

    await gh.container.certificateAlerts.run();
    const sent = await warnings();
    expect(
      sent.map((event) => [event.data.connection_key, event.data.threshold_days, event.data.days_left]),
    ).toEqual(
      expect.arrayContaining([
        ['soon', 30, 20],
        ['sooner', 14, 10],
      ]),
    );
    expect(sent).toHaveLength(2);
    expect((await gh.container.db.connectionHealth.find(sooner.id as string))?.certificateWarnings).toEqual({
      [sent.find((event) => event.data.connection_key === 'sooner')!.data.fingerprint as string]: [30, 14],
    });

    // The next round sends nothing new: each warning goes out once.
    await gh.container.certificateAlerts.run();
    expect(await warnings()).toHaveLength(2);
    expect((await gh.container.db.connectionHealth.find(soon.id as string))?.certificateWarnings).toEqual({
      [sent.find((event) => event.data.connection_key === 'soon')!.data.fingerprint as string]: [30],
    });

    for (let waited = 0; receiver.at('/hooks').length < 2 && waited < 100; waited += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.at('/hooks').map((receipt) => receipt.event.type)).toEqual([
      'connection.certificate_expiring',
      'connection.certificate_expiring',
    ]);
  }, 30_000);

  it('shows the expiry in the health API and a banner on the portal pages of that organization only', async () => {
    const health = await api.expect(200, `/organizations/${organizationId}/connections/sooner/health`);
    expect(health.certificates).toEqual([
      expect.objectContaining({ subject: 'CN=Sooner IdP', days_left: 10, expired: false, state: 'current' }),
    ]);
    expect(health).toMatchObject({ enabled: true, metadata: null, last_failure_reason: null });

    const { secret } = await gh.container.portal.links.issue(OPERATOR, organizationId, {
      intent: 'sso',
      expires_in: 3600,
    });
    const browser = new FormBrowser();
    const confirm = await browser.get(`${gh.url}/portal/setup/${secret}`);
    const page = await browser.follow(await browser.submit(confirm, '/portal/setup/'));
    expect(page.body).toContain('for “sooner” expires in 10 days (and 1 more within 30 days)');
    const healthPage = await browser.get(`${gh.url}/portal/sso/health`);
    expect(healthPage.body).toContain('CN=Sooner IdP');
    expect(healthPage.body).toContain('Expires soon');

    const other = await createOrganization(gh, 'Calm Co');
    expect(await gh.container.admin.connectionHealth.expiryBanner(other.id)).toBeUndefined();
  });
});
