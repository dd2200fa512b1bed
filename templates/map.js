// cascade strategic map: collapse and expand, details, search, filters, views, keyboard.
// Plain ES2017, no library, no network. Plan text is only ever set as text, never as HTML.
(function () {
  "use strict";
  // map-common.js, run before this script: views, colour scheme, keyboard in the tree.

  var data = { goals: {} };
  try {
    data = JSON.parse(document.getElementById("cascade-data").textContent);
  } catch (error) {
    // A broken data block leaves the map readable; only search and filters stop.
  }

  var $ = cascadeMap.$;
  var $$ = cascadeMap.$$;

  // ---- Collapse and expand -------------------------------------------------------------
  function setBranch(li, open) {
    if (!li || !li.hasAttribute("data-branch")) return;
    li.classList.toggle("collapsed", !open);
    var twisty = $(":scope > .card .twisty", li);
    if (twisty) twisty.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function setDetails(li, open) {
    var head = $(":scope > .card .head", li);
    var details = $(":scope > .card > .details", li);
    if (!head || !details) return;
    details.classList.toggle("open", open);
    head.setAttribute("aria-expanded", open ? "true" : "false");
  }
  var nodes = $$("li.node");
  nodes.forEach(function (li) {
    setDetails(li, false);
    // Open: the objectives and the goals right under them; deeper branches start closed.
    setBranch(li, Number(li.getAttribute("data-depth")) < 1);
  });

  document.addEventListener("click", function (event) {
    var twisty = event.target.closest(".twisty");
    if (twisty) {
      var li = twisty.closest("li.node");
      setBranch(li, li.classList.contains("collapsed"));
      return;
    }
    var head = event.target.closest(".head");
    if (head) {
      var item = head.closest("li.node");
      setDetails(item, head.getAttribute("aria-expanded") !== "true");
      return;
    }
    var link = event.target.closest("a[href^='#g-']");
    if (link) {
      event.preventDefault();
      reveal(link.getAttribute("href").slice(3), true);
    }
  });
  $("#expand").addEventListener("click", function () {
    nodes.forEach(function (li) { setBranch(li, true); });
  });
  $("#collapse").addEventListener("click", function () {
    nodes.forEach(function (li) { setBranch(li, Number(li.getAttribute("data-depth")) < 1); });
  });

  var tabs = cascadeMap.tabs;
  var show = cascadeMap.show;

  // Go to a goal: show the cascade, open the way down to it, scroll, focus, flash.
  function reveal(id, focus) {
    var card = document.getElementById("g-" + id);
    if (!card) return;
    show(tabs[0], false);
    var li = card.closest("li.node");
    for (var up = li.parentElement.closest("li.node"); up; up = up.parentElement.closest("li.node")) {
      setBranch(up, true);
      up.classList.remove("filtered-out");
    }
    li.classList.remove("filtered-out");
    card.scrollIntoView({ block: "center" });
    if (focus) $(".head", card).focus({ preventScroll: true });
    li.classList.remove("flash");
    void li.offsetWidth;
    li.classList.add("flash");
    if (history.replaceState) history.replaceState(null, "", "#g-" + id);
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.indexOf("#g-") === 0) reveal(decodeURIComponent(location.hash.slice(3)), true);
  });

  // ---- Search and filters --------------------------------------------------------------
  var search = $("#q");
  var unit = $("#f-unit");
  var owner = $("#f-owner");
  var state = $("#f-state");
  var count = $("#count");
  var titles = new Map();
  $$(".node > .card .title, .chip-title").forEach(function (el) { titles.set(el, el.textContent); });

  function highlight(el, terms) {
    var text = titles.get(el);
    el.textContent = "";
    if (!terms.length) { el.textContent = text; return; }
    var lower = text.toLowerCase();
    var marks = [];
    terms.forEach(function (term) {
      for (var at = lower.indexOf(term); at >= 0 && term; at = lower.indexOf(term, at + term.length)) {
        marks.push([at, at + term.length]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (mark) {
      if (mark[0] < pos) return;
      el.appendChild(document.createTextNode(text.slice(pos, mark[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(mark[0], mark[1]);
      el.appendChild(m);
      pos = mark[1];
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function matcher() {
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = { unit: unit.value, owner: owner.value, state: state.value };
    var active = terms.length > 0 || wanted.unit || wanted.owner || wanted.state;
    return {
      active: !!active,
      terms: terms,
      test: function (id) {
        var goal = data.goals[id];
        if (!goal) return false;
        var text = goal.text.toLowerCase();
        return terms.every(function (t) { return text.indexOf(t) >= 0; }) &&
          (!wanted.unit || goal.units.indexOf(wanted.unit) >= 0) &&
          (!wanted.owner || goal.owner === wanted.owner) &&
          (!wanted.state || goal.state === wanted.state);
      },
    };
  }

  function apply() {
    var m = matcher();
    var matched = new Set();
    // Children come after their parents in document order: walk backwards so that a
    // branch knows whether anything below it stays visible.
    var items = $$(".tree li");
    for (var i = items.length - 1; i >= 0; i--) {
      var li = items[i];
      var id = li.getAttribute("data-goal") || li.getAttribute("data-ref");
      var hit = !m.active || m.test(id);
      if (li.classList.contains("ref")) {
        li.classList.toggle("filtered-out", m.active && !hit);
        continue;
      }
      var below = $$(":scope > ul > li:not(.filtered-out)", li).length > 0;
      if (hit && m.active) matched.add(id);
      li.classList.toggle("filtered-out", m.active && !hit && !below);
      li.classList.toggle("filter-context", m.active && !hit && below);
      if (m.active && below) setBranch(li, true);
    }
    $$(".chip, .mini").forEach(function (el) {
      el.classList.toggle("filtered-out", m.active && !m.test(el.getAttribute("data-goal")));
    });
    titles.forEach(function (_, el) { highlight(el, m.terms); });
    var total = Object.keys(data.goals).length;
    var found = matched.size;
    var all = total.toLocaleString("en-US");  // as the header writes its counts
    count.textContent = m.active ? found.toLocaleString("en-US") + " of " + all + " match" : "all " + all + " shown";
    $(".no-match").hidden = !m.active || found > 0;
  }
  [search, unit, owner, state].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  function clear() {
    search.value = "";
    unit.value = owner.value = state.value = "";
    apply();
  }
  $("#clear").addEventListener("click", clear);

  // ---- Keyboard ------------------------------------------------------------------------
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !typing(document.activeElement) && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "Escape" && document.activeElement === search) {
      clear();
    }
  });
  cascadeMap.treeKeys(setBranch);

  apply();
  if (location.hash.indexOf("#g-") === 0) reveal(decodeURIComponent(location.hash.slice(3)), false);
})();
