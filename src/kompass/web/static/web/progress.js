/* The progress list of a long workspace page (workspace/_progress.html); the page works
   without it.
   - On a wide screen the list is open in its side column; on a phone it stays folded at
     the top until opened.
   - When a field is saved in place (htmx), its item in the list takes the new state and
     the counts follow, so the list never lags behind the page. */
(function () {
  "use strict";
  var nav = document.getElementById("progress");
  if (!nav) return;
  var details = nav.querySelector("details");
  var wide = window.matchMedia("(min-width: 64rem)");
  var SYMBOLS = { empty: "○", partial: "◐", saved: "✓", divergent: "!", agreed: "✓" };

  function fit() { if (details) details.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);

  function filled(id) {
    var field = document.getElementById(id);
    return !!(field && field.value && field.value.trim());
  }

  function stateOf(page, formId, link) {
    var key = link.dataset.key;
    if (page === "scoring") return filled("q-" + key + "-score") ? (filled("q-" + key + "-note") ? "saved" : "partial") : "empty";
    if (page === "consensus") {
      if (filled("q-" + key + "-score")) return "agreed";
      var article = document.getElementById(formId).closest("article");
      return article && article.classList.contains("divergent") ? "divergent" : "empty";
    }
    if (page === "previsit") return filled("p-" + key + "-text") ? "saved" : (filled("s-" + key + "-score") ? "partial" : "empty");
    var form = document.getElementById(formId);
    var box = form && form.querySelector("textarea");
    return box && box.value.trim() ? "saved" : "empty";
  }

  function keyOf(page, formId) {
    if (page === "texts") return formId;
    return formId.replace(/^[qps]-/, "");
  }

  function recount() {
    var groups = nav.querySelectorAll("ol.progress-areas > li");
    var all = 0;
    for (var i = 0; i < groups.length; i++) {
      var done = groups[i].querySelectorAll("a.unit.s-saved, a.unit.s-agreed").length;
      all += done;
      var count = groups[i].querySelector(".progress-area-count .n-done");
      if (count) count.textContent = String(done);
    }
    var total = nav.querySelectorAll("a.unit").length;
    var summary = nav.querySelector("summary .n-done");
    if (summary) summary.textContent = String(all);
    var bar = nav.querySelector(".progress-bar span");
    if (bar && total) bar.style.setProperty("--done", Math.round(100 * all / total) + "%");
  }

  function update(form) {
    if (!form || form.tagName !== "FORM" || !form.id || !form.querySelector(".saved")) return;
    var page = nav.dataset.page;
    var key = keyOf(page, form.id);
    var links = nav.querySelectorAll("a.unit");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      if (link.dataset.key !== key) continue;
      var state = stateOf(page, form.id, link);
      link.className = link.className.replace(/\bs-\w+/, "s-" + state);
      link.querySelector(".sym").textContent = SYMBOLS[state];
      link.setAttribute("aria-label", link.dataset.short + ": " + (nav.getAttribute("data-label-" + state) || state));
    }
    recount();
  }

  // Where one is: the item of the unit at the top of the screen is outlined, and the side
  // column scrolls to keep it in view.
  var scroller = nav;
  var byTarget = {};
  var links = nav.querySelectorAll("a.unit");
  for (var i = 0; i < links.length; i++) {
    var id = links[i].getAttribute("href").replace(/^\?/, "").replace(/^#/, "");
    var target = document.getElementById(id);
    if (target && links[i].getAttribute("href").charAt(0) === "#") byTarget[id] = { link: links[i], target: target };
  }
  var current = null;
  function mark(link) {
    if (link === current) return;
    if (current) current.classList.remove("current");
    current = link;
    if (!link) return;
    link.classList.add("current");
    if (wide.matches && details && details.open) {
      var box = scroller.getBoundingClientRect(), at = link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) scroller.scrollTop += at.top - box.top - box.height / 3;
    }
  }
  var observer = null;
  if ("IntersectionObserver" in window) {
    var seen = {};
    observer = new IntersectionObserver(function (entries) {
      for (var j = 0; j < entries.length; j++) seen[entries[j].target.id] = entries[j].isIntersecting;
      for (var k in byTarget) if (seen[k]) { mark(byTarget[k].link); return; }
    }, { rootMargin: "0px 0px -60% 0px" });
    for (var key in byTarget) observer.observe(byTarget[key].target);
  }

  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail && event.detail.elt ? event.detail.elt : event.target;
    update(elt);
    // A form swapped in place is a new element: watch it instead of the old one (Texter).
    if (observer && elt && elt.id && byTarget[elt.id] && byTarget[elt.id].target !== elt) {
      observer.unobserve(byTarget[elt.id].target);
      byTarget[elt.id].target = elt;
      observer.observe(elt);
    }
  });
})();
