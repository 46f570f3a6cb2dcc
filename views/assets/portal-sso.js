/* global document -- runs in the browser, not in Node */
// Reads a chosen IdP metadata file into the form's text area, so it is posted like pasted XML.
for (const input of document.querySelectorAll('input[type=file][data-fills]')) {
  input.addEventListener('change', async () => {
    const target = document.getElementById(input.dataset.fills);
    const file = input.files && input.files[0];
    if (target && file) target.value = await file.text();
  });
}
