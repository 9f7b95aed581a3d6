/* rashomon report: select a fact (or a conflict, term, source, date) and see its passages in every article. */
(function () {
  "use strict";
  var KEY = /^s\d+[a-z]\d+$/;
  var state = {};
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function storyOf(el) { return el && el.closest ? el.closest(".story") : null; }

  function clear(story) {
    all(story, ".hit").forEach(function (el) { el.classList.remove("hit"); });
    all(story, ".on-row").forEach(function (el) { el.classList.remove("on-row"); });
    all(story, "[aria-pressed=true]").forEach(function (el) { el.setAttribute("aria-pressed", "false"); });
    all(story, ".col").forEach(function (col) {
      col.classList.remove("has-on", "no-on");
      var st = col.querySelector(".col-status");
      if (st) { st.textContent = ""; }
    });
    var tb = story.querySelector(".toolbar");
    if (tb) {
      tb.querySelector(".sel-label").textContent = tb.getAttribute("data-idle") || "";
      tb.querySelector(".clear").hidden = true;
      tb.querySelector(".back").hidden = true;
    }
    state[story.id] = null;
  }

  function labelFor(story, key) {
    var b = story.querySelector('[data-sel="' + key + '"][data-label]');
    return b ? { what: b.getAttribute("data-what") || "", label: b.getAttribute("data-label") } : { what: "", label: "" };
  }

  function select(story, key, opts) {
    if (!story || !KEY.test(key)) { return; }
    opts = opts || {};
    var origin = state[story.id] && state[story.id].origin;
    clear(story);
    state[story.id] = { key: key, origin: opts.origin || origin || null };
    var hits = all(story, '[data-k~="' + key + '"]');
    hits.forEach(function (el) { el.classList.add("hit"); });
    all(story, '[data-sel="' + key + '"]').forEach(function (b) {
      b.setAttribute("aria-pressed", "true");
      var tr = b.closest("tr");
      if (tr && tr.parentNode && tr.closest(".matrix")) { tr.classList.add("on-row"); }
    });
    all(story, ".col").forEach(function (col) {
      var marks = all(col, 'mark[data-b~="' + key + '"]');
      var st = col.querySelector(".col-status");
      var hasText = !col.hasAttribute("data-notext");
      col.classList.toggle("has-on", marks.length > 0);
      col.classList.toggle("no-on", marks.length === 0 && hasText);
      if (st) {
        st.textContent = marks.length ? (marks.length === 1 ? "1 passage" : marks.length + " passages")
          : (hasText ? "Not in this article" : "");
      }
      if (marks.length) {
        var body = col.querySelector(".col-body");
        body.scrollTop = Math.max(0, marks[0].offsetTop - 56);
      }
    });
    var info = labelFor(story, key);
    var tb = story.querySelector(".toolbar");
    if (tb) {
      var lab = tb.querySelector(".sel-label");
      lab.textContent = "";
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = info.what ? info.what + ": " : "";
      lab.appendChild(what);
      lab.appendChild(document.createTextNode(info.label));
      var cols = all(story, ".col:not([data-notext])");
      if (cols.length) {
        var found = cols.filter(function (c) { return c.classList.contains("has-on"); }).length;
        lab.appendChild(document.createTextNode(" — in " + found + " of " + cols.length + " articles"));
      }
      tb.querySelector(".clear").hidden = false;
      tb.querySelector(".back").hidden = !state[story.id].origin || !opts.jump;
    }
    if (opts.jump) {
      var passage = story.querySelector(".passage.hit");
      if (passage) {
        passage.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
        return;
      }
      var target = story.querySelector(".read");
      if (target) {
        target.scrollIntoView({ block: "start", behavior: reduced ? "auto" : "smooth" });
        var lab2 = target.querySelector(".sel-label");
        if (lab2) { lab2.focus({ preventScroll: true }); }
      }
    }
  }

  function step(story, dir) {
    var keys = all(story, ".matrix [data-sel]").map(function (b) { return b.getAttribute("data-sel"); });
    if (!keys.length) { return; }
    var cur = state[story.id] ? keys.indexOf(state[story.id].key) : -1;
    var next = cur < 0 ? (dir > 0 ? 0 : keys.length - 1) : (cur + dir + keys.length) % keys.length;
    select(story, keys[next], {});
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var story = storyOf(t);
    if (!story) { return; }
    var btn = t.closest("[data-sel]");
    if (btn) {
      var key = btn.getAttribute("data-sel");
      if (state[story.id] && state[story.id].key === key && !btn.hasAttribute("data-jump")) {
        clear(story);
      } else {
        select(story, key, { jump: btn.hasAttribute("data-jump"), origin: btn.hasAttribute("data-jump") ? btn : null });
      }
      return;
    }
    var nav = t.closest("[data-nav]");
    if (nav) { step(story, parseInt(nav.getAttribute("data-nav"), 10)); return; }
    if (t.closest(".clear")) { clear(story); return; }
    var back = t.closest(".back");
    if (back) {
      ev.preventDefault();
      var o = state[story.id] && state[story.id].origin;
      if (o) { o.focus({ preventScroll: true }); o.scrollIntoView({ block: "center" }); }
      return;
    }
    var mark = t.closest("mark[data-k]");
    if (mark) {
      var keys = mark.getAttribute("data-k").split(" ");
      var pick = keys.filter(function (k) { return /^s\d+f\d+$/.test(k); })[0] || keys.filter(function (k) { return /^s\d+c\d+$/.test(k); })[0];
      if (pick) { select(story, pick, {}); }
    }
  });

  document.addEventListener("keydown", function (ev) {
    var story = storyOf(document.activeElement) || null;
    if (ev.key === "Escape" && story && state[story.id]) { clear(story); return; }
    if (!story || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var inRead = document.activeElement.closest(".read");
    if (inRead && (ev.key === "j" || ev.key === "k")) { step(story, ev.key === "j" ? 1 : -1); ev.preventDefault(); }
  });

  all(document, ".toolbar").forEach(function (tb) {
    tb.setAttribute("data-idle", tb.querySelector(".sel-label").textContent);
    all(tb, "[data-nav]").forEach(function (b) { b.disabled = false; });
  });
  document.documentElement.classList.add("js");
})();
