/* lmsgen's few scripts: table filters (catalog, people) and copy buttons. No library, nothing loaded. */
(function () {
  "use strict";
  // Where this file is (assets/lmsgen/lmsgen.js): the site's root is two folders up.
  var here = document.currentScript ? document.currentScript.src : "";

  function setupFilter(form) {
    var table = document.querySelector('[data-lms-rows="' + form.getAttribute("data-lms-filter") + '"]');
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector("[data-lms-count]");
    var none = document.querySelector("[data-lms-none]");
    var fields = Array.prototype.slice.call(form.elements).filter(function (el) { return el.name; });
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (el) { if (params.has(el.name)) { el.value = params.get(el.name); } });

    function apply() {
      var wanted = {};
      fields.forEach(function (el) { if (el.value) { wanted[el.name] = el.value.toLowerCase().trim(); } });
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(wanted).every(function (name) {
          var value = row.getAttribute("data-" + name) || "";
          if (name === "q") {
            return wanted.q.split(/\s+/).every(function (word) { return value.indexOf(word) !== -1; });
          }
          return (" " + value + " ").indexOf(" " + wanted[name] + " ") !== -1;
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      // The words come from the page (data-lms-count="{shown} of {total}", in the site's language).
      if (count) {
        var words = count.getAttribute("data-lms-count") || "{shown} / {total}";
        count.textContent = words.replace("{shown}", shown).replace("{total}", rows.length);
      }
      if (none) { none.hidden = shown !== 0; }
      var query = new URLSearchParams();
      Object.keys(wanted).forEach(function (name) { query.set(name, wanted[name]); });
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    apply();
  }

  // A portal's "Request this course" cards name their course alone (data-lms-request, else their link's address); the git host's pre-filled
  // editor link of each course is written once for the site, for a stand-in person and team, in
  // catalog/requests.json. The person's own link is that one with their ids put in (ids are slugs, which a URL
  // carries as they are). Without this script, or without the file, a card leads to the course's page, which
  // shows the request to paste and the editor's link (docs/site.md).
  function setupRequests(portal) {
    var cards = Array.prototype.slice.call(portal.querySelectorAll("a[data-lms-request]"));
    var person = portal.getAttribute("data-lms-person"), team = portal.getAttribute("data-lms-team");
    if (!cards.length || !person || !team || !window.fetch) { return; }
    // The shared file is the site's catalog/requests.json (a portal names another in data-lms-requests="…").
    var address = portal.getAttribute("data-lms-requests") || (here && new URL("../../catalog/requests.json", here).href);
    if (!address) { return; }
    fetch(address, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (shared) {
        if (!shared || !shared.urls) { return; }
        cards.forEach(function (card) {
          // The card names its course by its link's address (../../catalog/<course>/#how-to-request).
          var course = card.getAttribute("data-lms-request") || card.pathname.split("/").slice(-2)[0];
          card.setAttribute("data-lms-request", course);
          var url = shared.urls[course];
          if (!url) { return; }
          card.href = url.split(shared.person).join(person).split(shared.team).join(team);
          card.target = "_blank";
          card.rel = "noopener noreferrer";
          card.setAttribute("data-lms-ready", "");
        });
      })
      .catch(function () { /* the cards keep leading to the course pages */ });
  }

  function setupCopy(button) {
    // The page gives the words: the button's own text, and data-copied for the moment after. The text copied is
    // the button's data-copy, else that of the <pre> just before it (written once on the page).
    var label = button.textContent, copied = button.getAttribute("data-copied") || label;
    button.addEventListener("click", function () {
      var source = button.previousElementSibling;
      var text = button.hasAttribute("data-copy") ? button.getAttribute("data-copy")
        : (source && source.tagName === "PRE" ? source.textContent : "");
      var done = function () { button.textContent = copied; setTimeout(function () { button.textContent = label; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else {
        var area = document.createElement("textarea");
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        document.body.removeChild(area);
        done();
      }
    });
  }

  // A table wider than the screen scrolls sideways; a keyboard reaches it, and a screen reader names it by the
  // heading above it, when there is no link inside to reach it by.
  function reachScrollingTables() {
    document.querySelectorAll(".lms-table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.querySelector("a, button, input, select, [tabindex]")) {
        var heading = wrap.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        ["tabindex", "role", "aria-label"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }

  // A to-do row's "Record it" line comes without its Copy button, which only works with JavaScript: this writes it,
  // after the line, in the words the page gives once (data-lms-copy="Copy|Copied" on the portal; docs/site.md).
  function addCopyButtons() {
    document.querySelectorAll("[data-lms-copy]").forEach(function (holder) {
      var words = holder.getAttribute("data-lms-copy").split("|");
      holder.querySelectorAll(".lms-todo td > details > pre, details.lms-how > pre").forEach(function (pre) {
        if (pre.nextElementSibling && pre.nextElementSibling.tagName === "BUTTON") { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "lms-copy__button";
        button.textContent = words[0] || "Copy";
        button.setAttribute("data-copied", words[1] || words[0] || "Copied");
        pre.insertAdjacentElement("afterend", button);
      });
    });
  }

  function ready() {
    addCopyButtons();
    reachScrollingTables();
    window.addEventListener("resize", reachScrollingTables);
    // Material's search is a dialog without a name; a screen reader announces it by this one.
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", (document.querySelector(".md-search__input") || {}).placeholder || "Search");
    });
    document.querySelectorAll("form[data-lms-filter]").forEach(setupFilter);
    document.querySelectorAll("button[data-copy], button.lms-copy__button").forEach(setupCopy);
    document.querySelectorAll("[data-lms-requests]").forEach(setupRequests);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
