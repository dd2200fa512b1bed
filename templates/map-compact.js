// cascade strategic map of a big plan: the goals come packed (zlib + base64, unpacked by the
// browser's own DecompressionStream); only what the reader opens is drawn, a hundred at a
// time; search runs over the data and lists the first hits. Plain ES2017, no library, no
// network. Plan text is only ever set as text, never as HTML.
(function () {
  "use strict";
  var root = cascadeMap.root; // map-common.js: views, colour scheme, keyboard in the tree

  var PAGE = 100; // goals drawn per "show more"
  var HITS = 100; // hits listed per search
  var STATES = ["on-track", "at-risk", "off-track", "no-data", "achieved", "missed", "draft", "dropped"];
  var LEVELS = ["objective", "department", "team", "individual"];
  var LEVEL_NAMES = ["Objective", "Department", "Team", "Personal"];
  var PERSPECTIVES = {
    financial: "Financial", customer: "Customer", internal: "Internal process",
    learning: "Learning & growth",
  };
  var ICONS = { error: "✖", warning: "▲", info: "●" };

  var $ = cascadeMap.$;
  var $$ = cascadeMap.$$;

  // Build elements from text only: el("span", {class: "x"}, "text", child, ...).
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] !== null && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
      });
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function add(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { add(node, c); });
    else node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  // ---- Numbers as the Python side writes them ------------------------------------------
  function pct(value, empty) {
    if (value === null || value === undefined) return empty === undefined ? "—" : empty;
    return Math.floor(value * 100 + 1e-9) + "%";
  }
  function width(value) {
    var v = value === null || value === undefined ? 0 : Math.min(1, Math.max(0, value));
    return Math.round(v * 1000) / 10 + "%";
  }
  function num(value) {
    if (value === null || value === undefined) return "—";
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString("en-US");
    return value.toLocaleString("en-US", { maximumFractionDigits: 4 });
  }
  function initials(name) {
    if (!name) return "?";
    var words = name.split(/[\s._-]+/).filter(Boolean).slice(0, 2);
    return words.map(function (w) { return w[0]; }).join("").toUpperCase() || "?";
  }
  function bar(progress, expected, label) {
    return el("span", { class: "bar", role: "img", "aria-label": label },
      el("span", { class: "fill", style: "width:" + width(progress) }),
      expected === null || expected === undefined ? null
        : el("span", { class: "expected", style: "left:" + width(expected) }));
  }
  function goalBar(progress, expected) {
    var label = pct(progress, "no progress data") + " done";
    if (expected !== null && expected !== undefined) label += ", " + pct(expected) + " expected by now";
    return bar(progress, expected, label);
  }
  // A check-in is [date, value, note, confidence, by] (the last three only when set).
  function checkinText(p) {
    var text = num(p[1]) + " on " + p[0];
    if (p[3] !== null && p[3] !== undefined) text += " · confidence " + Math.round(p[3] * 100) + "%";
    if (p[4]) text += " · by " + p[4];
    if (p[2]) text += " · " + p[2];
    return text;
  }
  function checkins(history) {
    if (!history || !history.length) return null;
    var latest = history[history.length - 1];
    var items = history.slice().reverse().map(function (p) { return el("li", null, checkinText(p)); });
    return [latest[2] ? el("span", { class: "kpi-note" }, "“" + latest[2] + "”") : null,
      el("details", { class: "checkins" },
        el("summary", null, history.length + " check-in" + (history.length === 1 ? "" : "s")),
        el("ol", { reversed: "" }, items))];
  }
  function sparkline(history) {
    if (!history || history.length < 2) return null;
    var w = 84, h = 22, pad = 2;
    var values = history.map(function (p) { return p[1]; });
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var span = high - low || 1;
    var step = (w - 2 * pad) / (values.length - 1);
    var points = values.map(function (v, i) {
      return [pad + i * step, pad + (h - 2 * pad) * (1 - (v - low) / span)];
    });
    var first = history[0], last = history[history.length - 1];
    var label = values.length + " check-ins: " + num(first[1]) + " on " + first[0] + ", " +
      checkinText(last);
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    [["class", "spark"], ["viewBox", "0 0 " + w + " " + h], ["width", w], ["height", h],
      ["role", "img"], ["aria-label", label]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    var title = document.createElementNS(ns, "title");
    title.textContent = label;
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
    [["fill", "none"], ["stroke", "currentColor"], ["stroke-width", "1.5"],
      ["stroke-linejoin", "round"], ["stroke-linecap", "round"]].forEach(function (a) { line.setAttribute(a[0], a[1]); });
    var dot = document.createElementNS(ns, "circle");
    var end = points[points.length - 1];
    [["cx", end[0].toFixed(1)], ["cy", end[1].toFixed(1)], ["r", "2.2"], ["fill", "currentColor"]]
      .forEach(function (a) { dot.setAttribute(a[0], a[1]); });
    svg.appendChild(title);
    svg.appendChild(line);
    svg.appendChild(dot);
    points.forEach(function (p, i) {
      var point = document.createElementNS(ns, "circle");
      [["class", "point"], ["cx", p[0].toFixed(1)], ["cy", p[1].toFixed(1)], ["r", "3"]]
        .forEach(function (a) { point.setAttribute(a[0], a[1]); });
      var tip = document.createElementNS(ns, "title");
      tip.textContent = checkinText(history[i]);
      point.appendChild(tip);
      svg.appendChild(point);
    });
    return svg;
  }

  var tabs = cascadeMap.tabs;
  var show = cascadeMap.show;


  // ---- Unpacking -----------------------------------------------------------------------
  function inflate(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }
  function take(id) {
    var node = document.getElementById(id);
    var text = node ? node.textContent : "";
    if (node) node.textContent = ""; // the page keeps the data once, in the script's heap
    return text;
  }
  var count = $("#count");
  var treeBox = $("#tree");
  var total = Number(treeBox.getAttribute("data-goals"));
  var packedIndex = take("cascade-index");
  var packedDetails = take("cascade-details").split("\n");
  var chunks = [];
  count.textContent = "unpacking " + total.toLocaleString("en-US") + " goals…";

  var D = null; // the index: columns of goals, the tree, units, names, rules
  var n = 0;
  var kids = []; // goal -> entries drawn under it (a reference is ~goal)
  var parent = null; // goal -> the goal it is drawn under, or -1
  var depthOf = null;
  var idOf = new Map();
  var tops = [];
  var unlinkedTops = [];
  var hay = "";
  var starts = null;

  function readTree(flat, into) {
    var stack = [];
    for (var i = 0; i < flat.length; i += 2) {
      var entry = flat[i], depth = flat[i + 1];
      if (depth === 0) into.push(entry);
      else {
        var up = stack[depth - 1];
        (kids[up] || (kids[up] = [])).push(entry);
        if (entry >= 0) parent[entry] = up;
      }
      if (entry >= 0) {
        stack[depth] = entry;
        depthOf[entry] = depth;
      }
    }
  }

  function setUp(data) {
    D = data;
    n = D.id.length;
    parent = new Int32Array(n).fill(-1);
    depthOf = new Int32Array(n);
    for (var i = 0; i < n; i++) idOf.set(D.id[i], i);
    readTree(D.tree, tops);
    readTree(D.unlinked, unlinkedTops);
    // One lower-case text to search, a line per goal; starts[i] is where goal i begins.
    var parts = new Array(n);
    starts = new Int32Array(n + 1);
    var at = 0;
    for (var g = 0; g < n; g++) {
      var text = (D.id[g] + " " + D.title[g] + " " + nameOf(g) + " " + unitName(g) + " " +
        D.words[g]).toLowerCase().replace(/\n/g, " ") + "\n";
      parts[g] = text;
      starts[g] = at;
      at += text.length;
    }
    starts[n] = at;
    hay = parts.join("");
    D.words = null;
    D.context = new Set(D.context);
  }

  function nameOf(g) { return D.owner[g] >= 0 ? D.names[D.owner[g]] : ""; }
  function unitName(g) { return D.unit[g] >= 0 ? D.units.name[D.unit[g]] : ""; }
  function stateOf(g) { return STATES[D.state[g]]; }
  function label(state) { return state.replace("-", " "); }

  function details(g) {
    var k = Math.floor(g / D.chunk);
    if (!chunks[k]) chunks[k] = inflate(packedDetails[k]);
    return chunks[k].then(function (list) { return list[g - k * D.chunk]; });
  }

  // ---- Drawing the tree ----------------------------------------------------------------
  function badges(g) {
    var gaps = D.gaps[g];
    if (!gaps.length) return null;
    var rule = function (r) { return D.rules[r]; };
    var shown = gaps.slice(0, 2).map(function (r) {
      var x = rule(r);
      return el("span", { class: "badge sev-" + x[2], title: x[0] + " " + x[1] + " (details list it)" },
        el("span", { "aria-hidden": "true" }, ICONS[x[2]]), " " + x[1]);
    });
    if (gaps.length > 2) {
      shown.push(el("span", { class: "badge more", title: gaps.slice(2).map(function (r) { return rule(r)[1]; }).join(", ") },
        "+" + (gaps.length - 2)));
    }
    return el("span", { class: "badges" }, shown);
  }

  function card(g, depth) {
    var id = D.id[g], state = stateOf(g), level = LEVELS[D.level[g]];
    var opens = !!kids[g];
    var li = el("li", {
      class: "node lvl-" + level + " st-" + state + (D.context.has(g) ? " context-goal" : ""),
      "data-goal": id, "data-depth": depth, "data-branch": opens ? "1" : null,
    });
    var owner = nameOf(g), kpis = D.kpis[g];
    var meta = el("div", { class: "meta" },
      el("span", { class: "lvl" }, LEVEL_NAMES[D.level[g]]),
      unitName(g) && level !== "individual" ? el("span", { class: "unit" }, unitName(g)) : null,
      owner ? el("span", { class: "owner" }, el("span", { class: "avatar", "aria-hidden": "true" }, initials(owner)), owner) : null,
      kpis ? el("span", { class: "count" }, kpis + " KPI" + (kpis !== 1 ? "s" : "")) : null,
      D.context.has(g) ? el("span", { class: "count" }, "line of sight") : null,
      badges(g));
    var twisty = opens
      ? el("button", { type: "button", class: "twisty", "aria-expanded": "false", "aria-controls": "c-" + id,
        title: "Show or hide the goals under " + id },
        el("span", { class: "visually-hidden" }, "Supporting goals of " + id))
      : el("span", { class: "twisty-space" });
    li.appendChild(el("div", { class: "card", id: "g-" + id },
      el("div", { class: "row" }, twisty,
        el("div", { class: "main" },
          el("button", { type: "button", class: "head", "aria-expanded": "false", "aria-controls": "d-" + id },
            el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "gid" }, id), " ",
            el("span", { class: "title" }, D.title[g])),
          meta),
        el("div", { class: "score" }, goalBar(D.prog[g], D.exp[g]), el("span", { class: "pct" }, pct(D.prog[g])),
          el("span", { class: "pill st-" + state }, label(state)))),
      el("div", { class: "details", id: "d-" + id })));
    if (opens) {
      li.classList.add("collapsed");
      li.appendChild(el("ul", { class: "children", id: "c-" + id }));
    }
    return li;
  }

  function reference(g, under) {
    var id = D.id[g];
    // Only a goal on a loop is drawn under no goal while others link to it.
    var drawn = parent[g] >= 0 ? "drawn under " + D.id[parent[g]]
      : unlinkedTops.indexOf(g) >= 0 ? "drawn among the goals that reach no objective"
      : "drawn at the top";
    return el("li", { class: "ref", "data-ref": id },
      el("a", { href: "#g-" + id, class: "ref-link" },
        el("span", { class: "ref-arrow", "aria-hidden": "true" }, "↳"), " ",
        el("span", { class: "gid" }, id), " ", el("span", { class: "ref-title" }, D.title[g]), " ",
        el("span", { class: "muted" }, "also supports this; " + drawn)));
  }

  // A list draws its entries a page at a time; `upTo` makes sure that entry is drawn.
  function fill(list, upTo) {
    var entries = list.entries, depth = list.depth;
    var end = Math.min(entries.length, Math.max(list.drawn + (list.drawn ? 0 : PAGE), (upTo || 0) + 1));
    if (end <= list.drawn) return;
    var more = $(":scope > li.more", list);
    if (more) more.remove();
    var frag = document.createDocumentFragment();
    var opened = [];
    for (var i = list.drawn; i < end; i++) {
      var entry = entries[i];
      var item = entry >= 0 ? card(entry, depth) : reference(~entry);
      frag.appendChild(item);
      if (depth === 0 && entry >= 0) opened.push(item);
    }
    list.appendChild(frag);
    // Open: the tops and the goals right under them; deeper branches start closed.
    opened.forEach(function (li) { setBranch(li, true); });
    list.drawn = end;
    var left = entries.length - end;
    if (left > 0) {
      list.appendChild(el("li", { class: "more" },
        el("button", { type: "button", class: "ghost show-more" },
          "Show " + Math.min(PAGE, left) + " more (" + left.toLocaleString("en-US") + " not shown)")));
    }
  }
  function startList(list, entries, depth) {
    list.entries = entries;
    list.depth = depth;
    list.drawn = 0;
    fill(list, 0);
  }

  function setBranch(li, open) {
    if (!li || !li.hasAttribute("data-branch")) return;
    var list = $(":scope > ul.children", li);
    if (open && list.entries === undefined) {
      startList(list, kids[idOf.get(li.getAttribute("data-goal"))], Number(li.getAttribute("data-depth")) + 1);
    }
    li.classList.toggle("collapsed", !open);
    var twisty = $(":scope > .card .twisty", li);
    if (twisty) twisty.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function drawTrees() {
    treeBox.textContent = "";
    var main = el("ul", { class: "tree", "aria-label": "Goals from the objectives down" });
    treeBox.appendChild(main);
    startList(main, tops, 0);
    if (!tops.length) treeBox.appendChild(el("p", { class: "empty-note" }, "No objective is on this map."));
    var other = $("#unlinked-tree");
    if (other) {
      other.textContent = "";
      var list = el("ul", { class: "tree", "aria-label": "Goals that reach no objective" });
      other.appendChild(list);
      startList(list, unlinkedTops, 0);
    }
  }

  function nodeOf(g) {
    var cardEl = document.getElementById("g-" + D.id[g]);
    return cardEl ? cardEl.parentElement : null;
  }

  // Go to a goal: show the cascade, draw and open the way down to it, scroll, focus, flash.
  function reveal(id, focus) {
    var g = idOf.get(id);
    if (g === undefined) return;
    show(tabs[0], false);
    var path = [g];
    for (var up = parent[g]; up >= 0; up = parent[up]) path.push(up);
    var top = path[path.length - 1];
    var lists = $$(".packed-tree > ul.tree");
    lists.forEach(function (list) {
      var at = list.entries.indexOf(top);
      if (at >= 0) fill(list, at);
    });
    for (var i = path.length - 1; i > 0; i--) {
      var li = nodeOf(path[i]);
      setBranch(li, true);
      var list = $(":scope > ul.children", li);
      fill(list, list.entries.indexOf(path[i - 1]));
    }
    var node = nodeOf(g);
    if (!node) return;
    var cardEl = $(":scope > .card", node);
    cardEl.scrollIntoView({ block: "center" });
    if (focus) $(".head", cardEl).focus({ preventScroll: true });
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
    if (history.replaceState) history.replaceState(null, "", "#g-" + id);
  }

  // ---- A goal's details, unpacked when opened ------------------------------------------
  function goalLink(id) {
    if (idOf.has(id)) {
      return [el("a", { href: "#g-" + id, class: "goal-link", "data-goal": id }, id), " " + D.title[idOf.get(id)]];
    }
    return [el("span", { class: "goal-link" }, id), " ", el("span", { class: "muted" }, "(not on this map)")];
  }
  function block(title, items, cls) {
    return el("div", { class: "block" + (cls ? " " + cls : "") }, el("h4", null, title), items);
  }
  function gapBadge(gap, full) {
    var rule = D.rules[gap[0]];
    return el("span", { class: "badge sev-" + rule[2], title: full ? null : gap[1] },
      el("span", { "aria-hidden": "true" }, ICONS[rule[2]]), " " + (full ? rule[0] + " " : "") + rule[1]);
  }
  function rangeText(k) {
    if (k.kind === "milestone") return "done";
    if (k.range) {
      var low = k.range[0], high = k.range[1];
      if (low !== null && high !== null) return num(low) + "–" + num(high);
      if (low !== null) return "≥ " + num(low);
      if (high !== null) return "≤ " + num(high);
      return "any";
    }
    return num(k.target);
  }
  function kpiRow(k) {
    var meta = k.id + (k.as_of ? " · as of " + k.as_of : "") + (k.frequency ? " · " + k.frequency : "") +
      (k.source ? " · " + k.source : "") + (k.supported_by ? " · served by " + k.supported_by.join(", ") : "");
    var tail = null;
    if (k.kind === "milestone" && k.done) tail = el("span", { class: "pill st-achieved" }, "done");
    else if (k.health) tail = el("span", { class: "pill st-" + k.state }, k.health);
    return el("tr", { class: "st-" + k.state },
      el("th", { scope: "row" }, el("span", { class: "kpi-name" }, k.name),
        k.unit ? [" ", el("span", { class: "muted" }, "(" + k.unit + ")")] : null, " ",
        el("span", { class: "kpi-meta" }, meta), (k.gaps || []).map(function (gap) { return gapBadge(gap, false); }),
        checkins(k.history)),
      el("td", { class: "trend" }, sparkline(k.history)),
      el("td", { class: "num" }, num(k.baseline)),
      el("td", { class: "num strong" }, k.kind === "milestone" ? (k.done ? "done" : "not done") : num(k.current)),
      el("td", { class: "num" }, rangeText(k)),
      el("td", { class: "kpi-progress" }, bar(k.progress, null, pct(k.progress, "unknown")), " ",
        el("span", { class: "pct" }, pct(k.progress)), tail ? [" ", tail] : null));
  }
  function fact(term, value) { return el("div", null, el("dt", null, term), el("dd", null, value)); }

  function drawDetails(g, d, box) {
    var unit = unitName(g), expected = D.exp[g];
    var parts = [];
    if (d.description) parts.push(el("p", { class: "description" }, d.description));
    parts.push(el("dl", { class: "facts" },
      fact("Level", LEVEL_NAMES[D.level[g]] + (unit ? " · " + unit : "")),
      fact("Owner", nameOf(g) || "nobody"),
      fact("Time", [(d.start || "…") + " → " + (d.due || "…"),
        d.period ? [" ", el("span", { class: "muted" }, "(" + d.period + ")")] : null]),
      fact("Progress", [pct(D.prog[g], "unknown"),
        expected !== null ? [" ", el("span", { class: "muted" }, "of " + pct(expected) + " expected")] : null]),
      d.perspective ? fact("Perspective", PERSPECTIVES[d.perspective] || d.perspective) : null,
      d.confidence !== undefined ? fact("Confidence", pct(d.confidence)) : null,
      d.commitment ? fact("Commitment", d.commitment) : null,
      d.status !== "active" ? fact("Status", d.status) : null));
    if (d.parents) {
      parts.push(block("Supports", el("ul", { class: "plain" }, d.parents.map(function (p) {
        return el("li", null, goalLink(p[0]),
          p[2].length ? [" ", el("span", { class: "muted" }, "· key result " + p[2].join(", "))] : null,
          p[1] !== 1 ? [" ", el("span", { class: "weight", title: "weight in the roll-up" }, "×" + p[1])] : null);
      }))));
    }
    if (d.depends_on) {
      parts.push(block("Depends on", el("ul", { class: "plain" },
        d.depends_on.map(function (other) { return el("li", null, goalLink(other)); }))));
    }
    if (d.kpis) {
      var head = el("tr", null, ["KPI", "Trend", "Baseline", "Current", "Target", "Progress"].map(function (t, i) {
        return el("th", { scope: "col", class: i >= 2 && i <= 4 ? "num" : null }, t);
      }));
      parts.push(block("Key results", el("div", { class: "table-wrap" },
        el("table", null, el("thead", null, head), el("tbody", null, d.kpis.map(kpiRow)))), "kpis"));
    }
    if (d.initiatives) {
      parts.push(block("Initiatives", el("ul", { class: "plain" }, d.initiatives.map(function (item) {
        var who = [item.owner, item.due ? "due " + item.due : null].filter(Boolean).join(", ");
        return el("li", null, el("strong", null, item.title),
          who ? [" ", el("span", { class: "muted" }, "— " + who)] : null,
          item.impact ? [el("br"), el("span", { class: "impact" }, item.impact)] : null);
      }))));
    }
    if (d.assumptions) {
      parts.push(block("Assumptions", el("ul", null, d.assumptions.map(function (a) { return el("li", null, a); }))));
    }
    if (d.risks) {
      parts.push(block("Risks", el("ul", { class: "plain" }, d.risks.map(function (r) {
        return el("li", null, el("strong", null, r[0]),
          r[1] ? [el("br"), el("span", { class: "muted" }, "Mitigation:"), " " + r[1]] : null);
      }))));
    }
    if (d.gaps) {
      parts.push(block("Gaps", el("ul", { class: "plain gaps" }, d.gaps.map(function (gap) {
        return el("li", { class: "sev-" + D.rules[gap[0]][2] }, gapBadge(gap, true), " " + gap[1],
          gap[2] ? [" ", el("span", { class: "muted" }, "— " + gap[2])] : null, " ",
          el("code", { class: "where" }, gap[3] + ":" + gap[4]));
      }))));
    }
    if (d.waived) {
      parts.push(block("Waived", el("ul", { class: "plain" }, d.waived.map(function (w) {
        return el("li", null, el("span", { class: "badge waived" }, w[0] + " " + w[1]), " " + w[2]);
      }))));
    }
    if (d.tags) {
      parts.push(el("p", { class: "tags" }, d.tags.map(function (t) { return [el("span", { class: "tag" }, "#" + t), " "]; })));
    }
    box.textContent = "";
    add(box, parts);
  }

  function setDetails(li, open) {
    var head = $(":scope > .card .head", li);
    var box = $(":scope > .card > .details", li);
    if (!head || !box) return;
    head.setAttribute("aria-expanded", open ? "true" : "false");
    box.classList.toggle("open", open);
    if (open && !box.hasAttribute("data-drawn")) {
      box.setAttribute("data-drawn", "1");
      box.textContent = "Unpacking…";
      var g = idOf.get(li.getAttribute("data-goal"));
      details(g).then(function (d) { drawDetails(g, d, box); });
    }
  }

  document.addEventListener("click", function (event) {
    if (!D) return;
    var more = event.target.closest(".show-more");
    if (more) {
      var list = more.closest("ul");
      fill(list, list.drawn + PAGE - 1);
      return;
    }
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
  $("#collapse").addEventListener("click", function () { if (D) drawTrees(); });
  window.addEventListener("hashchange", function () {
    if (D && location.hash.indexOf("#g-") === 0) reveal(decodeURIComponent(location.hash.slice(3)), true);
  });

  // ---- Search and filters: a list of the first hits ------------------------------------
  var search = $("#q");
  var unit = $("#f-unit");
  var state = $("#f-state");
  var hits = $("#hits");

  function goalAt(offset) {
    var low = 0, high = n - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return low;
  }

  function find(terms, dept, wanted) {
    var found = [], matched = 0;
    var test = function (g) {
      if (dept >= 0 && D.dept[g] !== dept) return false;
      if (wanted >= 0 && D.state[g] !== wanted) return false;
      if (terms.length < 2) return true;
      var text = hay.slice(starts[g], starts[g + 1]);
      return terms.every(function (t) { return text.indexOf(t) >= 0; });
    };
    var keep = function (g) {
      if (!test(g)) return;
      matched++;
      if (found.length < HITS) found.push(g);
    };
    if (terms.length) {
      // The longest word is the rarest, as a rule: walk its occurrences only.
      var first = terms.reduce(function (a, b) { return b.length > a.length ? b : a; });
      for (var at = hay.indexOf(first); at >= 0; ) {
        var g = goalAt(at);
        keep(g);
        at = hay.indexOf(first, starts[g + 1]);
      }
    } else {
      for (var i = 0; i < n; i++) keep(i);
    }
    return { goals: found, count: matched };
  }

  function highlight(text, terms) {
    var lower = text.toLowerCase();
    var marks = [];
    terms.forEach(function (term) {
      for (var at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
        marks.push([at, at + term.length]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var out = [], pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      out.push(text.slice(pos, m[0]), el("mark", null, text.slice(m[0], m[1])));
      pos = m[1];
    });
    out.push(text.slice(pos));
    return out;
  }

  function apply() {
    if (!D) return;
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var dept = unit.value ? D.units.id.indexOf(unit.value) : -1;
    var wanted = state.value ? STATES.indexOf(state.value) : -1;
    var active = terms.length > 0 || dept >= 0 || wanted >= 0;
    var shown = total.toLocaleString("en-US");
    hits.textContent = "";
    hits.hidden = !active;
    $(".no-match").hidden = true;
    if (!active) {
      count.textContent = "all " + shown + " shown";  // as on a full page
      return;
    }
    var result = find(terms, dept, wanted);
    count.textContent = result.count.toLocaleString("en-US") + " of " + shown + " match";
    if (!result.count) {
      hits.hidden = true;
      $(".no-match").hidden = false;
      return;
    }
    var note = result.count > result.goals.length
      ? "The first " + result.goals.length + " of " + result.count.toLocaleString("en-US") +
        " matching goals; add words to narrow the search."
      : result.count + " matching goal" + (result.count !== 1 ? "s" : "") + ".";
    hits.appendChild(el("p", { class: "hits-note" }, note + " Choose one to see it in the cascade."));
    hits.appendChild(el("ol", { class: "hit-list", "aria-label": "Matching goals" }, result.goals.map(function (g) {
      var st = stateOf(g), place = D.level[g] === 3 ? "" : unitName(g);
      var where = [LEVEL_NAMES[D.level[g]], place, nameOf(g) === place ? "" : nameOf(g)].filter(Boolean);
      return el("li", { class: "st-" + st },
        el("a", { href: "#g-" + D.id[g], class: "hit", "data-goal": D.id[g] },
          el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "gid" }, D.id[g]), " ",
          el("span", { class: "title" }, highlight(D.title[g], terms)), " ",
          el("span", { class: "muted" }, where.join(" · ")), " ",
          el("span", { class: "pill st-" + st }, label(st))));
    })));
  }
  var timer = 0;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  }
  search.addEventListener("input", later);
  [unit, state].forEach(function (select) { select.addEventListener("change", apply); });
  function clear() {
    search.value = "";
    unit.value = state.value = "";
    apply();
  }
  $("#clear").addEventListener("click", clear);

  // ---- Keyboard ------------------------------------------------------------------------
  function typing(node) {
    return node && (node.tagName === "INPUT" || node.tagName === "SELECT" || node.tagName === "TEXTAREA");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !typing(document.activeElement) && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "Escape" && document.activeElement === search) {
      clear();
    } else if (event.key === "Enter" && document.activeElement === search) {
      clearTimeout(timer);
      apply();
      var first = $(".hit", hits);
      if (first) first.focus();
    }
  });
  cascadeMap.treeKeys(setBranch);

  // ---- Start ---------------------------------------------------------------------------
  if (typeof DecompressionStream === "undefined") {
    count.textContent = "";
    treeBox.appendChild(el("p", { class: "packed-note" },
      "This browser cannot unpack the map (it lacks DecompressionStream). Open it in a current " +
      "Chrome, Edge, Firefox or Safari, or draw a part of the plan with cascade map --root or --unit."));
    return;
  }
  inflate(packedIndex).then(function (data) {
    packedIndex = null;
    setUp(data);
    drawTrees();
    apply();
    root.setAttribute("data-map", "ready");
    if (location.hash.indexOf("#g-") === 0) reveal(decodeURIComponent(location.hash.slice(3)), false);
  });
})();
