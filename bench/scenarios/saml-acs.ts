import { send } from '../http-client.js';
import { signedResponse, type SamlSp } from '../saml-idp.js';
import { readSettings } from '../settings.js';
import { SAML_PORTAL_LOGIN_URI, ssoUser, type SamlIdpCredential } from '../sso.js';
import type { Scenario } from './scenario.js';

/** Responses posted to find the ACS rate the pre-signed pool is sized by. */
const PROBE = 100;
/** Pool size over what the probe rate predicts for all cells: the probe runs cold (JIT, caches), the cells warm. */
const HEADROOM = 3;
const MAX_PRESIGNED = 20_000;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One POST to the ACS: a 303 to the portal's initiate_login_uri is an accepted response. */
async function postToAcs(sp: SamlSp, SAMLResponse: string): Promise<void> {
  const answer = await send(sp.acsUrl, { form: { SAMLResponse } });
  const location = answer.headers.location;
  if (answer.status !== 303 || typeof location !== 'string' || !location.startsWith(SAML_PORTAL_LOGIN_URI))
    throw new Error(`the ACS answered ${answer.status} ${String(location ?? answer.body.slice(0, 200))}`);
}

async function signMany(idp: SamlIdpCredential, sp: SamlSp, count: number, users: number) {
  const started = performance.now();
  const responses: string[] = [];
  for (let index = 0; index < count; index += 1)
    responses.push(await signedResponse(idp, sp, ssoUser(index % users)));
  return { responses, msPerResponse: (performance.now() - started) / Math.max(count, 1) };
}

/** Posts `responses` `parallel` at a time; accepted responses per second. */
async function acsRate(sp: SamlSp, responses: string[], parallel: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < responses.length) await postToAcs(sp, responses[next++]!);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return (responses.length * 1000) / (performance.now() - started);
}

/**
 * SAML ACS verification over HTTP, Gatehouse only: one POST of an IdP-initiated SAML response to
 * Gatehouse's ACS (/sso/saml/<connection>/acs), which loads the connection, verifies the
 * assertion's RSA-SHA256 signature against the configured IdP certificate, checks issuer,
 * audience, recipient, destination and time conditions, records the assertion ID as used (replay
 * cache in Redis), issues a sign-in ticket and answers 303 to the portal client's
 * initiate_login_uri. Nothing after the ACS (the application's own sign-in) is measured.
 *
 * Assertion IDs are single-use, so each operation posts a response never posted before, signed
 * by samlp (a real IdP library) before the cells: signing costs the load driver far more than
 * verifying costs Gatehouse, and doing it inside the cells would take the CPU the server needs.
 * The pool is sized from a probe of the ACS rate (HEADROOM times what all cells would use); a
 * pool that runs out is refilled by signing inline (counted in `prepared.signedDuringCells`).
 */
export const samlAcs: Scenario = {
  name: 'saml_acs',
  operation:
    'one POST to the SAML ACS of an IdP-initiated response (samlp, RSA-SHA256 assertion signature, fresh assertion ID): signature and conditions verified, assertion ID recorded, ticket issued, 303 to the portal',
  gatehouseOnly: true,
  saml: true,
  async prepare(target, workers) {
    const connectionId = target.sso?.samlConnectionId;
    const idp = target.sso?.samlIdp;
    if (target.name !== 'gatehouse' || !connectionId || !idp)
      throw new Error('saml_acs runs on Gatehouse with its SAML connection');
    const spEntityId = `${target.issuer}/sso/saml/${encodeURIComponent(connectionId)}`;
    const sp: SamlSp = { spEntityId, acsUrl: `${spEntityId}/acs` };

    // The path under measurement refuses a replay, or it would not be the ACS of a real login.
    const [first] = (await signMany(idp, sp, 1, 1)).responses;
    await postToAcs(sp, first!);
    const replay = await send(sp.acsUrl, { form: { SAMLResponse: first! } });
    if (replay.status !== 403) throw new Error(`saml_acs: a replayed response got ${replay.status}, not 403`);

    const probe = await signMany(idp, sp, PROBE, workers);
    const probeRate = await acsRate(sp, probe.responses, Math.min(workers, 16));
    const settings = readSettings();
    const perCell = probeRate * HEADROOM * (settings.seconds + settings.warmupSeconds);
    const wanted = Math.min(MAX_PRESIGNED, Math.ceil(perCell * settings.concurrency.length));
    const pool = await signMany(idp, sp, wanted, workers);
    const presignSeconds = round((pool.msPerResponse * wanted) / 1000, 1);
    process.stderr.write(
      `[bench] saml_acs: probe ${round(probeRate)}/s; pre-signed ${wanted} responses in ${presignSeconds} s ` +
        `(${round(pool.msPerResponse)} ms each)\n`,
    );
    const responses = pool.responses;
    // Filled in while the cells run: the report is serialized after the last one.
    const prepared = {
      connectionId,
      probeAcsPerSecond: round(probeRate),
      presigned: wanted,
      presignSeconds,
      signMsPerResponse: round(pool.msPerResponse),
      signedDuringCells: 0,
    };
    return {
      operation: async (worker) => {
        let response = responses.pop();
        if (response === undefined) {
          if (prepared.signedDuringCells === 0)
            process.stderr.write('[bench] saml_acs: pre-signed responses used up, signing inline\n');
          prepared.signedDuringCells += 1;
          response = await signedResponse(idp, sp, ssoUser(worker));
        }
        await postToAcs(sp, response);
      },
      prepared,
    };
  },
};
