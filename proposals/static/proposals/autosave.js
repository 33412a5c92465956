/* Autosaves the draft every 15 s while it changes; a stale version (409) stops it instead of overwriting. */
(function () {
  var form = document.getElementById("proposal-form"), status = document.getElementById("autosave-status");
  var dirty = false, stopped = false;
  form.addEventListener("input", function () { dirty = true; });
  setInterval(function () {
    if (!dirty || stopped) return;
    dirty = false;
    var data = new FormData();
    ["csrfmiddlewaretoken", "version", "title", "summary", "syllabus_outline", "learning_outcomes", "delivery_mode"].forEach(function (name) {
      if (form.elements[name]) data.append(name, form.elements[name].value);
    });
    fetch(form.dataset.autosaveUrl, {method: "POST", body: data, headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (res) {
        if (res[0] === 200) { form.elements.version.value = res[1].version; status.textContent = status.dataset.savedLabel + " " + new Date().toLocaleTimeString(); }
        else { status.textContent = res[1].error; if (res[0] === 409 || res[0] === 403) stopped = true; }
      }).catch(function () { dirty = true; });
  }, 15000);
})();
