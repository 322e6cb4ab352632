// The municipality list: how many evaluations are ticked, next to the compare button.
// The page works without it; the count is a convenience.
(function () {
  "use strict";
  function update() {
    var n = document.querySelectorAll('input[type="checkbox"][form="finding"][name="id"]:checked').length;
    // The words come from the page (gettext): data-one and data-many with "N" for the count.
    document.querySelectorAll("[data-compare-count]").forEach(function (el) {
      el.textContent = n === 0 ? "" : (n === 1 ? el.dataset.one : el.dataset.many).replace("N", String(n));
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "id") update();
  });
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("DOMContentLoaded", update);
})();
