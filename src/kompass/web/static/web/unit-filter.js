// The evidence form's checklist of sub-questions: a filter box that narrows the list as
// one types, and the codes ticked so far. Without it the checkboxes work as they are.
(function () {
  "use strict";
  function norm(text) {
    return text.toLocaleLowerCase("sv").replace(/\s+/g, " ").trim();
  }
  function chosen(box) {
    var out = box.querySelector("[data-chosen]");
    var codes = [].map.call(box.querySelectorAll('input[type="checkbox"]:checked'), function (c) { return c.value; });
    out.textContent = codes.length ? out.dataset.some.replace("N", codes.join(", ")) : out.dataset.none;
  }
  function narrow(box) {
    var query = norm(box.querySelector("[data-filter-input]").value);
    var shown = 0;
    box.querySelectorAll("[data-area-group]").forEach(function (group) {
      var areaMatches = query !== "" && norm(group.querySelector("legend").textContent).indexOf(query) >= 0;
      var any = false;
      group.querySelectorAll("label").forEach(function (label) {
        var match = query === "" || areaMatches || norm(label.textContent).indexOf(query) >= 0;
        label.hidden = !match;
        if (match) { any = true; shown += 1; }
      });
      group.hidden = !any;
    });
    var count = box.querySelector("[data-filter-count]");
    count.textContent = query === "" ? "" : (shown ? count.dataset.some.replace("N", String(shown)) : count.dataset.none);
  }
  function start() {
    document.querySelectorAll("[data-unit-checklist]").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      var input = box.querySelector("[data-filter-input]");
      box.querySelector("[data-filter]").hidden = false;
      input.addEventListener("input", function () { narrow(box); });
      // Enter in the filter narrows; it never submits the form half-filled.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); narrow(box); }
      });
      box.addEventListener("change", function () { chosen(box); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
