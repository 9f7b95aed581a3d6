// rashomon web app: small progressive enhancements; every page also works without this script.
(function () {
  "use strict";
  // The add form: say that work has started (the server redirects to the job page).
  var form = document.querySelector("form.add");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = "Adding…"; }
    });
  }
})();
