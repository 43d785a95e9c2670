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
    select.dispatchEvent(new Event("change", {bubbles: true}));
    select.focus();
  });
  // The other lead the engine offers (the catalog's own lead where the lead-type chooser
  // proposed another unit, or the chooser's unit in a replay) fills the dispatch form with one
  // click or Alt+L: it leads, and the proposed lead assists in its place; the dispatcher then
  // dispatches with Alt+D.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-pick-lead]");
    var lead = document.getElementById("id_lead");
    if (!b || !lead) return;
    var chosen = b.dataset.pickLead, former = lead.value.trim();
    var assist = document.getElementById("id_assist");
    if (assist) {
      var names = assist.value.split(/[,，、]/).map(function (n) { return n.trim(); })
        .filter(function (n) { return n && n !== chosen; });
      if (former && former !== chosen && names.indexOf(former) < 0) names.push(former);
      assist.value = names.join("、");
    }
    lead.value = chosen;
    lead.dispatchEvent(new Event("input", {bubbles: true}));
    lead.focus();
  });
  // Keyboard shortcuts: Alt+letter on an element marked data-shortcut="letter" clicks it (a
  // button or link) or focuses it (a field). Handled here rather than by accesskey, which each
  // browser binds differently (Alt in Chrome and Edge, Alt+Shift in Firefox, Ctrl+Option on a
  // Mac); e.code names the key whatever the layout or the character Option makes.
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !/^Key[A-Z]$/.test(e.code || "")) return;
    var key = e.code.slice(3).toLowerCase();
    var target = document.querySelector('[data-shortcut="' + key + '"]:not([disabled])');
    if (!target) return;
    e.preventDefault();
    if (target.matches("input:not([type=submit]):not([type=button]), select, textarea")) {
      target.focus();
      if (target.select && target.tagName !== "SELECT") target.select();
    } else {
      target.click();
    }
  });
  // A character counter under a long text field (data-counter="max"): the writer sees the length
  // as it grows, and an over-long paste is shown, never cut off silently.
  function count(field) {
    var max = parseInt(field.dataset.counter, 10);
    var box = field.nextElementSibling;
    if (!box || !box.classList.contains("char-counter")) {
      box = document.createElement("div");
      box.className = "char-counter";
      box.setAttribute("aria-live", "polite");
      box.id = field.id + "-counter";
      field.insertAdjacentElement("afterend", box);
    }
    var n = Array.from(field.value).length;
    var text = (field.dataset.counterText || "{n} / {max}").replace("{n}", n).replace("{max}", max);
    if (n > max) text += " · " + (field.dataset.counterOver || "").replace("{over}", n - max);
    box.textContent = text;
    box.classList.toggle("over", n > max);
  }
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-counter]")) count(e.target);
  });
  function countAll() { document.querySelectorAll("[data-counter]").forEach(count); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", countAll);
  else countAll();
  // An alternative matter chosen on review proposes its catalog unit (the dispatcher may still
  // change it): asks the review page's small JSON endpoint, which applies the dispatch catalog
  // to this order's place.
  document.addEventListener("change", function (e) {
    var select = e.target;
    if (!select.matches || !select.matches("select[data-unit-for-matter]")) return;
    var lead = document.getElementById(select.dataset.leadField || "id_lead");
    if (!lead || !select.value) return;
    var url = select.dataset.unitForMatter + "?matter=" + encodeURIComponent(select.value);
    var typed = lead.value;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var hint = document.getElementById("proposed-unit");
        if (data && hint) hint.textContent = data.message || "";
        // Only a proposal: what the dispatcher typed meanwhile wins.
        if (!data || !data.lead || lead.value !== typed) return;
        lead.value = data.lead;
        lead.dispatchEvent(new Event("input", {bubbles: true}));
      });
  });
  // A search box over a long select (the matter list): keeps the options whose label or group
  // holds the typed text, or whose pinyin initials or full pinyin (data-pinyin, written by the
  // server with pypinyin) hold typed Latin letters, and selects the first of them so that Enter
  // or Tab goes on.
  document.addEventListener("input", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("[data-filter-select]")) return;
    var select = document.getElementById(box.dataset.filterSelect);
    if (!select) return;
    var q = box.value.trim();
    var latin = /^[A-Za-z]+$/.test(q) ? q.toLowerCase() : "";
    var first = null;
    Array.prototype.forEach.call(select.options, function (o) {
      var group = o.parentElement && o.parentElement.label ? o.parentElement.label : "";
      var show = !q || (group + " " + o.text).indexOf(q) !== -1 ||
        (latin !== "" && (o.dataset.pinyin || "").indexOf(latin) !== -1);
      o.hidden = !show;
      if (show && !first) first = o;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
      g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
    });
    if (q && first && select.value !== first.value) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });
  // The main navigation's dropdown groups (<details> menus, keyboard-reachable without script):
  // one open at a time, closed by Escape (focus back on its heading) or a click elsewhere, and
  // the group holding the current page marked.
  function menus() { return document.querySelectorAll(".main-nav details.menu"); }
  document.addEventListener("toggle", function (e) {
    var opened = e.target;
    if (!opened.matches || !opened.matches(".main-nav details.menu") || !opened.open) return;
    menus().forEach(function (m) { if (m !== opened) m.open = false; });
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector(".main-nav details.menu[open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });
  document.addEventListener("click", function (e) {
    menus().forEach(function (m) { if (m.open && !m.contains(e.target)) m.open = false; });
  });
  function markCurrent() {
    var best = null;
    document.querySelectorAll(".main-nav a[href]").forEach(function (a) {
      var path = a.pathname;
      if (path !== "/" && location.pathname.indexOf(path) === 0 && (!best || path.length > best.pathname.length)) best = a;
    });
    if (!best) return;
    best.setAttribute("aria-current", "page");
    var menu = best.closest("details.menu");
    if (menu) menu.classList.add("current");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markCurrent);
  else markCurrent();
})();
