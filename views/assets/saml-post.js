/* global document -- runs in the browser, not in Node */
// SAML HTTP-POST binding (SAML Bindings §3.5.3): the form goes on by itself; without
// scripts the person presses Continue. Served from our origin (CSP script-src 'self').
(() => {
  'use strict';
  const form = document.getElementById('saml-post');
  if (form) form.submit();
})();
