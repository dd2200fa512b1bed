// cascade strategic map, both pages: moving through the goal tree with the keyboard.
// Plain ES2017. `setBranch(li, open)` is the page's own: the packed page draws a branch's
// goals when it opens.
function cascadeTreeKeys(setBranch) {
  "use strict";
  var $ = function (selector, scope) { return (scope || document).querySelector(selector); };
  function visibleHeads() {
    return Array.prototype.slice
      .call(document.querySelectorAll("#view-tree .head"))
      .filter(function (head) { return head.offsetParent !== null; });
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
