/* The error summary above a refused form (workspace/_error_summary.html), as GOV.UK
   does it: focus moves to the summary when the page loads, so a screen reader reads
   what went wrong first; a link in it moves the focus to its field (not only the view)
   and shows the field's label above it. Without JavaScript the links still scroll. */
(function () {
  "use strict";

  function labelOf(field) {
    return field.id ? document.querySelector('label[for="' + CSS.escape(field.id) + '"]') : null;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    if (document.activeElement === document.body || !document.activeElement) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      var label = labelOf(field);
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
