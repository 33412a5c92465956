/* Small progressive enhancements; every feature also works without JavaScript. */
(function () {
  "use strict";

  // Senior mode: switch in place (the form posts and reloads when scripts are off).
  document.querySelectorAll("form[data-senior-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      var on = form.querySelector("input[name=on]");
      var button = form.querySelector("button");
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
        .then(function () {
          var turnedOn = on.value === "1";
          document.documentElement.classList.toggle("senior", turnedOn);
          button.setAttribute("aria-pressed", turnedOn ? "true" : "false");
          on.value = turnedOn ? "0" : "1";
        })
        .catch(function () { form.submit(); });
    });
  });

  // Copy-link buttons: copy the URL shown next to them and say so in a live region.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      var done = function () { if (status) { status.textContent = button.getAttribute("data-copied-text"); } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the URL stays selected for manual copy */ }
      }
    });
  });

  // "Use my location": fill the coordinate fields from the browser and submit.
  document.querySelectorAll("[data-geolocate]").forEach(function (button) {
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.form;
      var status = document.getElementById(button.getAttribute("data-status"));
      if (status) { status.textContent = button.getAttribute("data-wait-text"); }
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(6);
        var near = form.querySelector("[name=near]");
        if (near) { near.value = ""; }
        form.submit();
      }, function () {
        if (status) { status.textContent = button.getAttribute("data-fail-text"); }
      }, { timeout: 10000, maximumAge: 600000 });
    });
  });
})();
