// /api/dokumentation/: Redoc (vendored) draws the API's OpenAPI schema into #redoc.
// A file of our own rather than an inline script: the CSP allows scripts from 'self' only.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("redoc");
    if (!element || typeof Redoc === "undefined") return;
    var fonts = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    Redoc.init(element.getAttribute("data-spec-url"), {
      disableSearch: true,        // its search runs in a blob: worker, which the CSP forbids
      expandResponses: "200",
      hideHostname: true,
      nativeScrollbars: true,
      pathInMiddlePanel: true,
      requiredPropsFirst: true,
      sortPropsAlphabetically: false,
      theme: {
        typography: { fontFamily: fonts, headings: { fontFamily: fonts }, code: { fontFamily: "ui-monospace, monospace" } },
        colors: { primary: { main: "#1d4f7c" } },
      },
    }, element, function () { element.setAttribute("aria-busy", "false"); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
