// Behaviour of the console pages, kept out of the templates: the Content Security Policy
// allows scripts from our own static files only, never inline ones. Listeners sit on the
// document, so that content htmx swaps in later behaves the same.
(function () {
  "use strict";
  // A select that applies itself (the assessment month).
  document.addEventListener("change", function (e) {
    var el = e.target.closest && e.target.closest("[data-autosubmit]");
    if (el && el.form) el.form.submit();
  });
  // Ctrl+Enter (Cmd+Enter) saves a keyboard-first form (the intake screen).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
    var form = e.target.closest && e.target.closest("form[data-ctrl-enter]");
    if (form) { e.preventDefault(); form.requestSubmit(); }
  });
  // An alternative matter from the suggestion fills the dispatch form: the dispatcher picks the
  // second or third guess with one click, then dispatches as corrected.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-pick-matter]");
    var select = document.getElementById("id_matter_code");
    if (!b || !select) return;
    select.value = b.dataset.pickMatter;
    select.dispatchEvent(new Event("change"));
    select.focus();
  });
})();
