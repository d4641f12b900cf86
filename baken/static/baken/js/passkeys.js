// Account page: name a new passkey. django-otp-webauthn's script (otp_webauthn_register.js) does
// the registration; this file asks for a name first and saves it once the passkey exists.
(function () {
  "use strict";
  var form = document.getElementById("passkey-name-form");
  if (!form) { return; }
  var nameField = form.elements.namedItem("name");
  var passkeyField = form.elements.namedItem("passkey");

  // Capture phase: runs before the package's click handler on the button, and stops it while
  // the passkey has no name yet.
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "passkey-register-button" && !nameField.value.trim()) {
      event.stopPropagation();
      nameField.reportValidity();
      nameField.focus();
    }
  }, true);

  // Enter in the name field starts the registration instead of sending an empty form.
  form.addEventListener("submit", function (event) {
    if (!passkeyField.value) {
      event.preventDefault();
      var button = document.getElementById("passkey-register-button");
      if (button && !button.disabled) { button.click(); }
    }
  });

  form.addEventListener("otp_webauthn.register_complete", function (event) {
    passkeyField.value = event.detail.id;
    form.submit();
  });
})();
