/* global document, window, navigator, atob, btoa, fetch -- runs in the browser, not in Node */
// The WebAuthn ceremonies of the second step (WebAuthn L2 §5.1.3 create, §5.1.4 get).
// The server speaks the JSON forms of the options and answers (§5.1, binary fields as
// base64url); the browser API wants ArrayBuffers, so this file converts both ways itself.
// Served from our origin (CSP script-src 'self'); it reads no page data but the button's.
(() => {
  'use strict';
  const button = document.getElementById('webauthn');
  const error = document.getElementById('webauthn-error');
  if (!button || !error) return;

  const say = (message) => {
    error.textContent = message;
    error.hidden = false;
  };
  if (!window.PublicKeyCredential || !navigator.credentials) {
    say('This browser cannot use passkeys here. Use another way below.');
    return;
  }
  button.hidden = false;

  const toBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '==='.slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  };
  const toBase64url = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const descriptors = (list) => (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

  const creationOptions = (json) => ({
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  });
  const requestOptions = (json) => ({
    ...json,
    challenge: toBytes(json.challenge),
    allowCredentials: descriptors(json.allowCredentials),
  });
  const common = (credential) => ({
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: {},
  });
  const registrationJson = (credential) => ({
    ...common(credential),
    response: {
      clientDataJSON: toBase64url(credential.response.clientDataJSON),
      attestationObject: toBase64url(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
  });
  const authenticationJson = (credential) => ({
    ...common(credential),
    response: {
      clientDataJSON: toBase64url(credential.response.clientDataJSON),
      authenticatorData: toBase64url(credential.response.authenticatorData),
      signature: toBase64url(credential.response.signature),
      userHandle: credential.response.userHandle ? toBase64url(credential.response.userHandle) : undefined,
    },
  });

  class Refusal extends Error {}
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refusal(answer.error_description || 'Something went wrong. Try again.');
    return answer;
  };
  // §5.1.3 / §5.1.4 errors: NotAllowedError covers a cancel and a timeout alike (on purpose, §14.5).
  const explain = (caught) => {
    if (caught instanceof Refusal) return caught.message;
    if (caught && caught.name === 'InvalidStateError') return 'This authenticator is set up already.';
    if (caught && caught.name === 'NotAllowedError')
      return 'The request was cancelled or timed out. Try again.';
    return 'Something went wrong. Try again.';
  };

  const run = async () => {
    const ceremony = button.dataset.ceremony === 'registration' ? 'registration' : 'authentication';
    const base = `/interaction/${encodeURIComponent(button.dataset.uid || '')}/mfa/webauthn/${ceremony}`;
    button.disabled = true;
    error.hidden = true;
    try {
      const options = await post(`${base}/options`);
      const answer =
        ceremony === 'registration'
          ? registrationJson(await navigator.credentials.create({ publicKey: creationOptions(options) }))
          : authenticationJson(await navigator.credentials.get({ publicKey: requestOptions(options) }));
      const { redirect } = await post(base, answer);
      // Only a path on this origin: the server names the next page, never another site.
      if (typeof redirect !== 'string' || !redirect.startsWith('/') || redirect.startsWith('//')) {
        throw new Refusal('Something went wrong. Try again.');
      }
      window.location.assign(redirect);
    } catch (caught) {
      say(explain(caught));
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => void run());
})();
