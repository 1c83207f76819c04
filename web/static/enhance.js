/* Small progressive enhancement for every page; each page works without it.
   - Filter panels (<details data-fold-narrow>) fold behind their button on phones.
   - Forms with data-confirm ask before they submit (a destructive or final step).
   - Printing opens every folded section, so the paper record is whole. */
"use strict";
(function () {
  var narrow = window.matchMedia("(max-width: 720px)");
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (panel) {
    // A panel with an error inside stays open so the message is seen.
    if (narrow.matches && !panel.querySelector(".field-error")) { panel.open = false; }
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // A table wider than the screen scrolls in its frame: make that frame reachable by keyboard.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent : document.title);
    }
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.dataset.printOpened = "1";
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      delete d.dataset.printOpened;
      d.open = false;
    });
  });
})();
