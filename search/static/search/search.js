/* Search-box suggestions from the autocomplete API; the form works without it. */
(function () {
  var input = document.getElementById("search-q"), list = document.getElementById("search-suggestions"), timer;
  if (!input || !window.fetch) return;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!input.value.trim()) { list.innerHTML = ""; return; }
      fetch(input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(input.value))
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) {
          list.innerHTML = "";
          data.suggestions.forEach(function (s) { var o = document.createElement("option"); o.value = s.label; list.appendChild(o); });
        }).catch(function () {});
    }, 200);
  });
})();

/* Facet checkboxes apply at once when scripts run; without scripts the "apply" button does it. */
document.querySelectorAll("input[data-autosubmit]").forEach(function (box) {
  box.addEventListener("change", function () { box.form.submit(); });
});
