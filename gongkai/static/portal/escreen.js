/* The e-screen (电子屏): shows an org's current public items one at a time and keeps itself up
   to date by fetching screen.json, with no page reloads. Vanilla, no framework, no CDN.

   It runs for weeks on a lobby screen, so nothing in it grows:
   - one timer: a setTimeout chain ticking once a second; the clock, the rotation and the data
     refresh all decide on that tick, and `schedule` clears the pending tick before setting the
     next, so ticks can never stack;
   - one slide, whose nodes are reused: text goes into the existing text nodes, the body's
     paragraphs come from a fixed pool made once; nothing is appended per slide or per refresh;
   - the slides array is replaced (never appended to) when the data's version changes, and at
     most one fetch is in flight.
   Without JavaScript the page is a static list (see escreen.html). */
(function () {
  "use strict";

  var root = document.getElementById("escreen");
  var source = document.getElementById("escreen-data");
  if (!root || !source || !window.fetch || !window.JSON) return;
  document.documentElement.className = document.documentElement.className.replace("no-js", "js");

  var PARAGRAPHS = 6;          // body paragraphs a slide can show (the text is already cut short)
  var FETCH_TIMEOUT = 30000;   // ms before a hung request is given up
  var STALE_REFRESHES = 2;     // refreshes missed before the screen says it is out of date

  function byId(id) { return document.getElementById(id); }
  function bounded(value, low, high, fallback) {
    var number = parseInt(value, 10);
    return isNaN(number) ? fallback : Math.min(high, Math.max(low, number));
  }

  var el = {
    slide: byId("escreen-slide"), kind: byId("escreen-kind"), category: byId("escreen-category"),
    title: byId("escreen-title"), notice: byId("escreen-notice"), body: byId("escreen-body"),
    meta: byId("escreen-meta"), counter: byId("escreen-counter"), status: byId("escreen-status"),
    time: byId("escreen-time"), date: byId("escreen-date"), org: byId("escreen-org-name")
  };
  var list = byId("escreen-list");
  if (list) list.parentNode.removeChild(list);
  var pool = [];
  for (var p = 0; p < PARAGRAPHS; p++) {
    pool.push(el.body.appendChild(document.createElement("p")));
    pool[p].hidden = true;
  }

  var text = {
    notice: root.getAttribute("data-label-notice"), item: root.getAttribute("data-label-item"),
    empty: root.getAttribute("data-empty"), stale: root.getAttribute("data-stale")
  };
  var seconds = bounded(root.getAttribute("data-seconds"), 5, 120, 15) * 1000;
  var refresh = bounded(root.getAttribute("data-refresh"), 10, 3600, 300) * 1000;
  var url = root.getAttribute("data-json");

  function formats(timeZone) {
    var zone = timeZone ? { timeZone: timeZone } : {};
    function options(extra) { var o = {}, k; for (k in zone) o[k] = zone[k]; for (k in extra) o[k] = extra[k]; return o; }
    return {
      time: new Intl.DateTimeFormat("zh-CN", options({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" })),
      date: new Intl.DateTimeFormat("zh-CN", options({ year: "numeric", month: "long", day: "numeric", weekday: "long" }))
    };
  }
  var format;
  try { format = formats(root.getAttribute("data-time-zone")); } catch (e) { format = formats(null); }
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  var state = {
    slides: [], version: "", index: -1, shownAt: 0,
    fetchedAt: Date.now(), okAt: Date.now(), loading: false, timer: 0
  };

  // Write `value` into the node's one text node instead of replacing it.
  function setText(node, value) {
    value = value == null ? "" : String(value);
    var first = node.firstChild;
    if (first && first.nodeType === 3 && !first.nextSibling) {
      if (first.data !== value) first.data = value;
    } else {
      node.textContent = value;
    }
  }

  function show(index, animate) {
    var slides = state.slides, slide = slides[index];
    state.index = index;
    state.shownAt = Date.now();
    el.slide.hidden = false;
    if (!slide) {
      setText(el.kind, ""); setText(el.category, ""); setText(el.title, text.empty);
      el.notice.hidden = true; setText(el.meta, ""); setText(el.counter, "");
      for (var e = 0; e < pool.length; e++) pool[e].hidden = true;
      root.setAttribute("data-current", "");
      return;
    }
    setText(el.kind, slide.kind === "notice" ? text.notice : text.item);
    setText(el.category, slide.category);
    setText(el.title, slide.title);
    el.notice.hidden = !slide.notice;
    setText(el.notice, slide.notice ? slide.notice.text : "");
    for (var k = 0; k < pool.length; k++) {
      var paragraph = slide.paragraphs[k];
      setText(pool[k], paragraph || "");
      pool[k].hidden = !paragraph;
    }
    setText(el.meta, slide.meta);
    setText(el.counter, slides.length > 1 ? (index + 1) + " / " + slides.length : "");
    root.setAttribute("data-current", slide.index_number);
    if (animate && el.slide.animate && !(motion && motion.matches)) {
      el.slide.animate([{ opacity: 0, transform: "translateY(2vh)" }, { opacity: 1, transform: "none" }],
        { duration: 600, easing: "ease-out" });
    }
  }

  // New data: swap the slides only when what they show has changed; keep the slide on screen
  // (and its time) when it is still there, else start again at the first.
  function apply(data) {
    if (!data || !data.slides) return;
    state.okAt = Date.now();
    el.status.hidden = true;
    if (data.version === state.version) return;
    var current = state.slides[state.index], keep = current ? current.index_number : null;
    state.slides = data.slides;
    state.version = data.version;
    root.setAttribute("data-version", data.version);
    if (data.org) setText(el.org, data.org.name);
    var found = -1;
    for (var k = 0; k < state.slides.length; k++) {
      if (state.slides[k].index_number === keep) { found = k; break; }
    }
    if (found >= 0) {
      var shownAt = state.shownAt;
      show(found, false);
      state.shownAt = shownAt;
    } else {
      show(0, true);
    }
  }

  function load() {
    state.loading = true;
    state.fetchedAt = Date.now();
    var options = { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } };
    if (window.AbortSignal && AbortSignal.timeout) options.signal = AbortSignal.timeout(FETCH_TIMEOUT);
    fetch(url, options)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(apply)
      .catch(function () { /* keep showing what we have; the next refresh tries again */ })
      .then(function () { state.loading = false; });
  }

  function tick() {
    var now = Date.now(), moment = new Date(now);
    setText(el.time, format.time.format(moment));
    setText(el.date, format.date.format(moment));
    if (state.slides.length > 1 && now - state.shownAt >= seconds) {
      show((state.index + 1) % state.slides.length, true);
    }
    if (state.loading && now - state.fetchedAt > 2 * FETCH_TIMEOUT) state.loading = false;
    if (!state.loading && now - state.fetchedAt >= refresh) load();
    if (now - state.okAt > STALE_REFRESHES * refresh + FETCH_TIMEOUT) {
      setText(el.status, text.stale.replace("{time}", format.time.format(new Date(state.okAt))));
      el.status.hidden = false;
    }
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
  }

  apply(JSON.parse(source.textContent));
  source.parentNode.removeChild(source);
  tick();
})();
