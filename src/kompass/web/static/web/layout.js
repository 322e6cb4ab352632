/* Layout on small screens and on paper; every page works without it.
   - Each table in <main> gets a box of its own that scrolls sideways, so a wide table
     never widens the page. While it scrolls the box is a named region in the tab order
     (a keyboard can scroll it); otherwise it is a plain box.
   - Before printing, every <details> opens (and closes again after); links in running
     text carry their full address for the print stylesheet to show. */
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.dataset.tableLabel) || "Tabell";

  function boxes() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var box = table.parentElement;
      if (!box.classList.contains("scroll-box")) {
        box = document.createElement("div");
        box.className = "scroll-box";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      var caption = table.querySelector("caption");
      if (caption && !caption.id) caption.id = "tabell-" + (i + 1);
      box.dataset.label = caption ? "" : label + " " + (i + 1);
    }
    scrolling();
  }

  function scrolling() {
    var list = document.querySelectorAll(".scroll-box");
    for (var i = 0; i < list.length; i++) {
      var box = list[i];
      var caption = box.querySelector("caption");
      var labelledBy = box.dataset.labelledBy || (caption && caption.id);
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("role", "region");
        box.tabIndex = 0;
        if (labelledBy) box.setAttribute("aria-labelledby", labelledBy);
        else box.setAttribute("aria-label", box.dataset.label || label);
      } else {
        box.removeAttribute("role");
        box.removeAttribute("tabindex");
        box.removeAttribute("aria-labelledby");
        box.removeAttribute("aria-label");
      }
    }
  }

  function addresses() {
    var links = document.querySelectorAll("main p a[href], main li a[href], main dd a[href]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var href = a.getAttribute("href");
      // Not a jump within the page, a control (an address with a query: a filter, a
      // choice to compare; only the language, as a report's download has it, is no
      // control), a crumb or a link in a menu or table.
      var control = a.search && !/^\?lang=[a-z]+$/.test(a.search);
      if (href.charAt(0) === "#" || control || a.closest("nav, table, form, .crumbs, .no-print")) continue;
      a.dataset.printHref = a.href;
    }
  }

  // An address to a part inside a closed <details> (a search hit's "#delfraga-3.2") opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);

  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; opened.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) opened.pop().open = false;
  });

  var waiting = 0;
  window.addEventListener("resize", function () {
    clearTimeout(waiting);
    waiting = setTimeout(scrolling, 150);
  });
  // htmx swaps in new lists (type-ahead, paging): their tables get boxes too.
  document.addEventListener("htmx:afterSettle", function () { boxes(); addresses(); });

  function ready() { boxes(); addresses(); openTarget(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
