// cascade strategic map, what both pages share (the full one and the packed one of a big
// plan): the views, the colour scheme, and moving through the goal tree with the keyboard.
// Plain ES2017, no library, no network. The page's own script runs after this one.
var cascadeMap = (function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var $ = function (selector, scope) { return (scope || document).querySelector(selector); };
  var $$ = function (selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  };

  // ---- Views ---------------------------------------------------------------------------
  var tabs = $$("[role='tab']");
  function show(tab, focus) {
    tabs.forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    });
    if (focus) tab.focus();
  }
  tabs.forEach(function (tab, index) {
    tab.addEventListener("click", function () { show(tab, false); });
    tab.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) {
        event.preventDefault();
        show(tabs[(index + step + tabs.length) % tabs.length], true);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        show(tabs[event.key === "Home" ? 0 : tabs.length - 1], true);
      }
    });
  });
  show(tabs[0], false);

  // ---- Colour scheme -------------------------------------------------------------------
  var themes = ["auto", "dark", "light"];
  var theme = $("#theme");
  theme.addEventListener("click", function () {
    var now = root.getAttribute("data-theme") || "auto";
    var next = themes[(themes.indexOf(now) + 1) % themes.length];
    if (next === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", next);
    theme.textContent = "Theme: " + next;
  });

  // ---- Keyboard in the tree: arrows, Home and End --------------------------------------
  // `setBranch(li, open)` is the page's own: the packed page draws a branch as it opens.
  function treeKeys(setBranch) {
    function visibleHeads() {
      return $$("#view-tree .head").filter(function (head) { return head.offsetParent !== null; });
    }
    document.addEventListener("keydown", function (event) {
      var head = event.target.closest && event.target.closest(".head");
      if (!head || event.altKey || event.ctrlKey || event.metaKey) return;
      var li = head.closest("li.node");
      var heads, index;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          heads = visibleHeads();
          index = heads.indexOf(head) + (event.key === "ArrowDown" ? 1 : -1);
          if (heads[index]) heads[index].focus();
          break;
        case "Home":
        case "End":
          heads = visibleHeads();
          heads[event.key === "Home" ? 0 : heads.length - 1].focus();
          break;
        case "ArrowRight":
          if (li.classList.contains("collapsed")) setBranch(li, true);
          else {
            var first = $(":scope > ul .head", li);
            if (first && first.offsetParent !== null) first.focus();
          }
          break;
        case "ArrowLeft":
          if (li.hasAttribute("data-branch") && !li.classList.contains("collapsed")) setBranch(li, false);
          else {
            var parent = li.parentElement.closest("li.node");
            if (parent) $(":scope > .card .head", parent).focus();
          }
          break;
        default:
          return;
      }
      event.preventDefault();
    });
  }

  return { root: root, $: $, $$: $$, show: show, tabs: tabs, treeKeys: treeKeys };
})();
