/* talkover report: canvas timeline, audio, heatmap, tables. Vanilla JS, no dependencies.
 *
 * The page renders one data block (the talkover JSON plus overlaps and summary). The same page
 * is served by `talkover serve`, whose review code (review.js) replaces the data after every
 * correction with `talkoverReport.setData(data)` and extends the timeline through the hooks at
 * the end of this file (draw layers, pointer and key handlers, selection listeners).
 */
(function () {
  "use strict";
  var TYPES = ["interruption", "failed_interruption", "backchannel", "overlap", "switch"];
  var LABEL = {
    interruption: "interruption", failed_interruption: "failed interruption",
    backchannel: "backchannel", overlap: "overlap", switch: "switch",
    silent_interruption: "silent interruption"
  };
  function plural(type) { return LABEL[type] + (type === "switch" ? "es" : "s"); }
  var VERB = {
    interruption: "interrupted", failed_interruption: "tried to interrupt",
    backchannel: "backchannelled", overlap: "overlapped", switch: "took the turn from",
    silent_interruption: "cut off"
  };
  var css = getComputedStyle(document.documentElement);
  var COLOR = {};
  TYPES.concat(["silent_interruption"]).forEach(function (t) {
    COLOR[t] = css.getPropertyValue("--" + t).trim() || "#5f676f";
  });
  var OVERLAP_FILL = css.getPropertyValue("--overlapspan").trim();
  // Twenty distinct lane colours (light enough for the markers drawn on them); from the 21st
  // speaker on they come round again darker, so that no two lanes of a meeting look alike.
  var SPEAKER_COLORS = ["#4dabf7", "#63c5b5", "#b197fc", "#ffa94d", "#f783ac", "#a9e34b",
    "#ced4da", "#e599f7", "#ffd43b", "#66d9e8", "#c0a080", "#8ce99a", "#ff8787", "#91a7ff",
    "#d8f5a2", "#fcc2d7", "#99e9f2", "#ffc078", "#b2f2bb", "#bac8ff"];
  function speakerColor(slot) {
    var base = SPEAKER_COLORS[slot % SPEAKER_COLORS.length], round = Math.floor(slot / SPEAKER_COLORS.length);
    if (!round) return base;
    var c = parseInt(base.slice(1), 16), k = Math.max(0.35, 1 - 0.22 * round);
    return "rgb(" + [c >> 16, (c >> 8) & 255, c & 255].map(function (v) { return Math.round(v * k); }).join(",") + ")";
  }
  var AXIS_H = 26, LANE_H = 44, BAR_PAD = 9, PRE_ROLL_S = 2, MAX_PPS = 400;
  var DENSE_PPS = 3; // below this many pixels per second, markers are drawn as ticks
  var dense = false;

  var $ = function (id) { return document.getElementById(id); };
  var dataBlock = $("talkover-data");
  var DATA, speakers, laneOf, names, duration, events, lanes, overlaps, overlapStarts, eventStarts;
  // speaker id -> colour (speakerColor's argument), kept across setData: a correction that
  // merges a speaker away or adds one leaves every other speaker's colour as it was
  var colorSlot = {};

  /* Everything derived from the data block; called again by setData. */
  function load(data) {
    DATA = data;
    DATA.groups = DATA.groups || {};
    DATA.voice_matches = DATA.voice_matches || [];
    speakers = DATA.speakers.map(function (s) { return s.id; });
    laneOf = {};
    speakers.forEach(function (s, i) { laneOf[s] = i; });
    names = {};
    DATA.speakers.forEach(function (s) { names[s.id] = s.name || s.id; });
    var used = {}, slot = 0;
    speakers.forEach(function (s) { if (s in colorSlot) used[colorSlot[s]] = true; });
    speakers.forEach(function (s) {
      if (s in colorSlot) return;
      while (used[slot]) slot++;
      colorSlot[s] = slot; used[slot] = true;
    });
    duration = Math.max(DATA.input.duration_s || 0, 1e-3);
    events = DATA.events.map(function (e, i) { e.index = i; return e; });
    // Per lane: segments sorted by start (with their index in DATA.segments), and the longest
    // segment (bounds the search window).
    lanes = speakers.map(function () { return { starts: [], ends: [], seg: [], maxDur: 0 }; });
    DATA.segments.forEach(function (s, i) {
      var lane = lanes[laneOf[s.speaker]];
      if (!lane) return;
      lane.starts.push(s.start_s); lane.ends.push(s.end_s); lane.seg.push(i);
      lane.maxDur = Math.max(lane.maxDur, s.end_s - s.start_s);
    });
    overlaps = DATA.overlaps || [];
    overlapStarts = overlaps.map(function (o) { return o[0]; });
    eventStarts = events.map(function (e) { return e.start_s; });
  }
  load(JSON.parse(dataBlock.textContent));

  function lowerBound(arr, x) { // first index with arr[i] >= x
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function fmtTime(t) {
    // whole tenths first, so that 9.97 s reads 0:10.0 (not 0:010.0) and 59.97 s 1:00.0
    var tenths = Math.round(Math.max(0, t) * 10);
    var h = Math.floor(tenths / 36000), m = Math.floor((tenths % 36000) / 600);
    var st = tenths % 600;
    var ss = (st < 100 ? "0" : "") + (st / 10).toFixed(1);
    return h ? h + ":" + (m < 10 ? "0" : "") + m + ":" + ss : m + ":" + ss;
  }
  /* Overlapped time as the event list and the status line say it (0.03 s, not 0.0 s). */
  function fmtTogether(s) { return s.toFixed(s < 0.1 ? 2 : 1) + " s together"; }
  function fmtSec(t) { return t == null ? "–" : t.toFixed(1) + " s"; }
  function fmtNum(x, digits) {
    if (x == null) return "–";
    return x >= 100 ? x.toFixed(0) : x.toFixed(digits == null ? 2 : digits);
  }
  function describe(e) {
    return (names[e.by] || e.by) + " " + (VERB[e.type] || e.type) + " " + (names[e.of] || e.of);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- marker shapes
  // Shape and colour both tell the types apart (colour-blind readers): interruption a filled
  // triangle, failed interruption a hollow one, backchannel a dot, overlap a diamond, switch a
  // tick. The legend, the event list and the canvas use the same shapes.
  var SHAPE_PATH = {
    interruption: "M1 2 L13 2 L7 12 Z", failed_interruption: "M2 2.5 L12 2.5 L7 11 Z",
    backchannel: "M7 3 A4 4 0 1 1 6.99 3 Z", overlap: "M7 1 L12 7 L7 13 L2 7 Z",
    switch: "M6 1 L8 1 L8 13 L6 13 Z", silent_interruption: "M2 2.5 L12 2.5 L7 11 Z"
  };
  function shapeSvg(type) {
    var hollow = type === "failed_interruption" || type === "silent_interruption";
    var paint = hollow ? 'fill="#ffffff" stroke="' + COLOR[type] + '" stroke-width="2"'
      : 'fill="' + COLOR[type] + '"';
    return '<svg class="shape" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">' +
      '<path d="' + SHAPE_PATH[type] + '" ' + paint + "/></svg>";
  }

  // ---------------------------------------------------------------- header and legend
  function renderHeader(live) {
    var counted = events.filter(function (e) { return e.verdict !== "rejected"; }).length;
    $("meta").textContent = [
      fmtTime(duration) + " recording", speakers.length + " speaker" + (speakers.length === 1 ? "" : "s"),
      counted + " event" + (counted === 1 ? "" : "s"),
      DATA.input.path ? "from " + DATA.input.path : null
    ].filter(Boolean).join(" · ");
    $("media-note").textContent = (DATA.media && DATA.media.note) || "";
    var summary = document.querySelector("#summary .summary");
    if (summary && DATA.summary && live) { // the page was written with the first summary
      summary.innerHTML = "";
      DATA.summary.forEach(function (line) { summary.appendChild(el("li", null, line)); });
    }
  }
  var legend = $("legend");
  TYPES.forEach(function (t) {
    var li = document.createElement("li");
    li.innerHTML = shapeSvg(t);
    li.appendChild(document.createTextNode(LABEL[t]));
    legend.appendChild(li);
  });
  var overlapItem = document.createElement("li");
  overlapItem.innerHTML = '<span class="swatch" style="background:' + OVERLAP_FILL + '"></span>overlapped speech';
  legend.appendChild(overlapItem);

  function renderLaneLabels() {
    var labels = $("lane-labels");
    labels.innerHTML = "";
    speakers.forEach(function (s, i) {
      var div = document.createElement("div");
      div.className = "lane-label"; div.setAttribute("role", "listitem");
      div.dataset.speaker = s; div.title = names[s];
      div.innerHTML = '<span class="swatch" style="background:' + speakerColor(colorSlot[s]) +
        '"></span><span class="name"></span>';
      div.querySelector(".name").textContent = names[s];
      labels.appendChild(div);
    });
  }

  // ---------------------------------------------------------------- timeline state
  var scroller = $("scroller"), track = $("track"), canvas = $("canvas");
  var ctx = canvas.getContext("2d");
  var audio = $("audio");
  var view = { pps: 0, width: 600, height: AXIS_H + LANE_H };
  var selected = -1;
  var showSwitches = $("show-switches").checked;
  var stats = { segments: 0, overlaps: 0, markers: {} };
  var layers = [], pointerHandlers = [], keyHandlers = [], selectListeners = [];

  function fitPps() { return view.width / duration; }
  function viewStart() { return scroller.scrollLeft / view.pps; }
  function timeToX(t) { return (t - viewStart()) * view.pps; }
  function xToTime(x) { return viewStart() + x / view.pps; }

  function resize() {
    var dpr = window.devicePixelRatio || 1;
    var wasFit = view.pps <= fitPps() * 1.0001;
    view.width = Math.max(100, scroller.clientWidth);
    view.height = AXIS_H + LANE_H * Math.max(1, speakers.length);
    canvas.width = Math.round(view.width * dpr); canvas.height = Math.round(view.height * dpr);
    canvas.style.width = view.width + "px"; canvas.style.height = view.height + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    setZoom(wasFit ? fitPps() : view.pps, view.width / 2);
  }
  function setZoom(pps, anchorX) {
    var t = xToTime(anchorX);
    view.pps = Math.min(MAX_PPS, Math.max(fitPps(), pps));
    track.style.width = Math.ceil(duration * view.pps) + "px";
    track.style.height = view.height + "px";
    scroller.scrollLeft = Math.max(0, t * view.pps - anchorX);
    requestDraw();
  }
  function centerOn(t) {
    scroller.scrollLeft = Math.max(0, t * view.pps - view.width / 2);
    requestDraw();
  }

  var drawPending = false;
  function requestDraw() {
    if (!drawPending) { drawPending = true; requestAnimationFrame(function () { drawPending = false; draw(); }); }
  }

  function tickStep() {
    var steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
    for (var i = 0; i < steps.length; i++) if (steps[i] * view.pps >= 80) return steps[i];
    return 7200;
  }

  function draw() {
    var w = view.width, h = view.height, t0 = viewStart(), t1 = t0 + w / view.pps;
    var markers = {}; TYPES.forEach(function (t) { markers[t] = 0; });
    var nseg = 0, nover = 0;
    dense = view.pps < DENSE_PPS;
    ctx.clearRect(0, 0, w, h);
    // lanes
    for (var i = 0; i < speakers.length; i++) {
      ctx.fillStyle = i % 2 ? "#f8f9fa" : "#ffffff";
      ctx.fillRect(0, AXIS_H + i * LANE_H, w, LANE_H);
      ctx.fillStyle = "#dee2e6"; ctx.fillRect(0, AXIS_H + i * LANE_H, w, 1);
    }
    // axis
    ctx.fillStyle = "#f1f3f5"; ctx.fillRect(0, 0, w, AXIS_H);
    ctx.fillStyle = "#adb5bd"; ctx.fillRect(0, AXIS_H - 1, w, 1);
    var step = tickStep();
    ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle";
    for (var tk = Math.floor(t0 / step) * step; tk <= t1; tk += step) {
      var xt = Math.round(timeToX(tk)) + 0.5;
      ctx.fillStyle = "#ced4da"; ctx.fillRect(xt, AXIS_H, 1, h - AXIS_H);
      ctx.fillStyle = "#495057"; ctx.fillRect(xt, AXIS_H - 6, 1, 6);
      ctx.fillText(fmtTime(tk).replace(/\.0$/, ""), xt + 3, AXIS_H / 2 - 2);
    }
    // overlapped stretches: a band across every lane and a strip on the axis
    var oi = Math.max(0, lowerBound(overlapStarts, t0) - 1);
    for (; oi < overlaps.length && overlaps[oi][0] < t1; oi++) {
      var o = overlaps[oi]; if (o[1] < t0) continue;
      var ox = timeToX(o[0]), ow = Math.max(2, (o[1] - o[0]) * view.pps);
      ctx.globalAlpha = dense ? 0.5 : 1;
      ctx.fillStyle = OVERLAP_FILL; ctx.fillRect(ox, AXIS_H, ow, h - AXIS_H);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#f08c00"; ctx.fillRect(ox, AXIS_H - 4, ow, 4);
      nover++;
    }
    // speech bars
    for (i = 0; i < speakers.length; i++) {
      var lane = lanes[i], y = AXIS_H + i * LANE_H + BAR_PAD;
      ctx.fillStyle = speakerColor(colorSlot[speakers[i]]);
      var j = lowerBound(lane.starts, t0 - lane.maxDur);
      for (; j < lane.starts.length && lane.starts[j] < t1; j++) {
        if (lane.ends[j] < t0) continue;
        var x = timeToX(lane.starts[j]);
        ctx.fillRect(x, y, Math.max(1, (lane.ends[j] - lane.starts[j]) * view.pps), LANE_H - 2 * BAR_PAD);
        nseg++;
      }
    }
    // event markers: a shape at the onset in the lane of the one who acts
    var k = lowerBound(eventStarts, t0 - 1 / view.pps * 8);
    for (; k < events.length && events[k].start_s < t1 + 8 / view.pps; k++) {
      var e = events[k];
      if (e.type === "switch" && !showSwitches) continue;
      drawMarker(e, k === selected);
      markers[e.type] = (markers[e.type] || 0) + 1;
    }
    layers.forEach(function (layer) { layer(ctx, api); });
    // playhead
    if (audio) {
      var xp = timeToX(audio.currentTime);
      if (xp >= -1 && xp <= w + 1) {
        ctx.fillStyle = "#212529"; ctx.fillRect(Math.round(xp) - 1, 0, 2, h);
        ctx.beginPath(); ctx.moveTo(xp - 6, 0); ctx.lineTo(xp + 6, 0); ctx.lineTo(xp, 8); ctx.closePath(); ctx.fill();
      }
    }
    stats = { segments: nseg, overlaps: nover, markers: markers, t0: t0, t1: t1 };
  }

  function markerPath(type, x, top) {
    ctx.beginPath();
    if (type === "backchannel") {
      ctx.arc(x, top + 8, 5.5, 0, 2 * Math.PI);
    } else if (type === "overlap") {
      ctx.moveTo(x, top + 1); ctx.lineTo(x + 6.5, top + 8); ctx.lineTo(x, top + 15); ctx.lineTo(x - 6.5, top + 8);
    } else {
      ctx.moveTo(x - 7, top + 2); ctx.lineTo(x + 7, top + 2); ctx.lineTo(x, top + 14);
    }
    ctx.closePath();
  }

  function drawMarker(e, isSelected) {
    var x = timeToX(e.start_s), lane = laneOf[e.by];
    if (lane == null) return;
    var top = AXIS_H + lane * LANE_H, color = COLOR[e.type] || COLOR["switch"];
    var rejected = e.verdict === "rejected";
    ctx.globalAlpha = rejected ? 0.35 : e.type === "switch" ? 0.55 : 1; // switches stay subtle
    if (dense) { // zoomed far out: thin ticks, so that hundreds of events stay readable
      ctx.fillStyle = color;
      if (e.type === "switch") ctx.fillRect(Math.round(x), top + LANE_H - BAR_PAD, 1, BAR_PAD - 2);
      else ctx.fillRect(Math.round(x) - 1, top + 2, 2, BAR_PAD + 4);
    } else if (e.type === "switch") {
      ctx.fillStyle = color;
      ctx.fillRect(Math.round(x) - 1, top + 3, 2, LANE_H - 6);
    } else {
      if (e.end_s > e.start_s) { // the overlap this event made, as a line under the bar
        ctx.fillStyle = color;
        ctx.fillRect(x, top + LANE_H - BAR_PAD + 1, Math.max(2, (e.end_s - e.start_s) * view.pps), 4);
      }
      ctx.fillStyle = color;
      ctx.fillRect(Math.round(x) - 1, top + 4, 2, LANE_H - 8);
      markerPath(e.type, x, top);
      if (e.type === "failed_interruption" || e.type === "silent_interruption") {
        ctx.fillStyle = "#ffffff"; ctx.fill();
        ctx.strokeStyle = color; ctx.lineWidth = 2.5; ctx.stroke();
      } else {
        ctx.fill();
        ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1; ctx.stroke();
      }
    }
    if (rejected && !dense) { // a cross over a rejected event
      ctx.strokeStyle = "#1b1f24"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(x - 6, top + 2); ctx.lineTo(x + 6, top + 14);
      ctx.moveTo(x + 6, top + 2); ctx.lineTo(x - 6, top + 14); ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (e.verdict === "confirmed" && !dense) {
      ctx.fillStyle = "#1b1f24"; ctx.font = "bold 11px system-ui, sans-serif";
      ctx.fillText("\u2713", x + 8, top + 7);
    }
    if (isSelected) {
      ctx.strokeStyle = "#0b57d0"; ctx.lineWidth = 3;
      ctx.strokeRect(x - 10, top + 1, 20, LANE_H - 2);
    }
  }

  // ---------------------------------------------------------------- playing and selecting
  function setStatus(text) { $("status").textContent = text; }
  function playFrom(t) {
    var from = Math.max(0, t - PRE_ROLL_S);
    if (!audio) { setStatus("No recording attached; " + fmtTime(t) + " selected."); requestDraw(); return; }
    audio.currentTime = from;
    var p = audio.play();
    if (p && p.catch) p.catch(function () { /* blocked or unsupported: the seek still shows */ });
    requestDraw();
  }
  function selectEvent(i, opts) {
    opts = opts || {};
    selected = i;
    var e = events[i];
    if (!e) { selected = -1; requestDraw(); return; }
    var t1 = viewStart(), t2 = t1 + view.width / view.pps;
    if (opts.jump || e.start_s < t1 || e.start_s > t2) centerOn(e.start_s);
    setStatus(fmtTime(e.start_s) + " " + LABEL[e.type] + ": " + describe(e) +
      (e.overlap_s ? " (" + fmtTogether(e.overlap_s) + ")" : "") +
      (e.verdict ? " — " + e.verdict : ""));
    markCurrentRow();
    if (opts.play) playFrom(e.start_s);
    selectListeners.forEach(function (fn) { fn(e, i); });
    requestDraw();
  }
  function markCurrentRow() {
    var rows = document.querySelectorAll("#event-list button[aria-current=true]");
    for (var r = 0; r < rows.length; r++) rows[r].removeAttribute("aria-current");
    var row = document.querySelector('#event-list button[data-index="' + selected + '"]');
    if (row) row.setAttribute("aria-current", "true");
  }
  function hitTest(x, y) {
    var lane = Math.floor((y - AXIS_H) / LANE_H);
    var t = xToTime(x);
    if (lane < 0 || lane >= speakers.length) return { time: t };
    var best = -1, bestD = 9;
    var k = lowerBound(eventStarts, t - 9 / view.pps);
    for (; k < events.length && events[k].start_s <= t + 9 / view.pps; k++) {
      var e = events[k];
      if (laneOf[e.by] !== lane || (e.type === "switch" && !showSwitches)) continue;
      var d = Math.abs(timeToX(e.start_s) - x);
      if (d < bestD) { bestD = d; best = k; }
    }
    if (best >= 0 && y - (AXIS_H + lane * LANE_H) < LANE_H / 2) return { event: best, time: t, lane: lane };
    var L = lanes[lane];
    for (var j = lowerBound(L.starts, t - L.maxDur); j < L.starts.length && L.starts[j] <= t; j++) {
      if (L.ends[j] >= t) return { bar: lane, lane: lane, segment: L.seg[j], time: t };
    }
    if (best >= 0) return { event: best, time: t, lane: lane };
    return { time: t, lane: lane };
  }
  /* The segment edge within `px` pixels of x in a lane, as {segment, edge}; null if none. */
  function edgeAt(x, lane, px) {
    var L = lanes[lane];
    if (!L) return null;
    var t = xToTime(x), tol = px / view.pps, best = null, bestD = tol;
    for (var j = lowerBound(L.starts, t - L.maxDur - tol); j < L.starts.length && L.starts[j] <= t + tol; j++) {
      var ds = Math.abs(L.starts[j] - t), de = Math.abs(L.ends[j] - t);
      if (ds <= bestD) { bestD = ds; best = { segment: L.seg[j], edge: "start" }; }
      if (de <= bestD) { bestD = de; best = { segment: L.seg[j], edge: "end" }; }
    }
    return best;
  }
  function canvasPoint(ev) {
    var rect = canvas.getBoundingClientRect();
    return { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
  }

  var drag = null, handled = null;
  scroller.addEventListener("pointerdown", function (ev) {
    var p = canvasPoint(ev);
    for (var i = 0; i < pointerHandlers.length; i++) {
      var h = pointerHandlers[i];
      if (h.down && h.down(ev, p, hitTest(p.x, p.y))) {
        handled = h; ev.preventDefault();
        if (scroller.setPointerCapture) { try { scroller.setPointerCapture(ev.pointerId); } catch (err) { /* */ } }
        return;
      }
    }
    if (ev.pointerType === "mouse" && ev.button === 0) drag = { x: ev.clientX, left: scroller.scrollLeft, moved: false };
  });
  window.addEventListener("pointermove", function (ev) {
    if (handled) { if (handled.move) handled.move(ev, canvasPoint(ev)); return; }
    if (!drag) return;
    var dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 4) drag.moved = true;
    if (drag.moved) scroller.scrollLeft = drag.left - dx;
  });
  window.addEventListener("pointerup", function (ev) {
    if (handled) {
      var h = handled;
      if (h.up) h.up(ev, canvasPoint(ev));
      setTimeout(function () { handled = null; }, 0);
      return;
    }
    setTimeout(function () { drag = null; }, 0);
  });
  scroller.addEventListener("click", function (ev) {
    if ((drag && drag.moved) || handled) return;
    var p = canvasPoint(ev);
    var hit = hitTest(p.x, p.y);
    if (hit.event != null) { selectEvent(hit.event, { play: true }); return; }
    if (hit.bar != null) {
      setStatus(names[speakers[hit.bar]] + " speaking at " + fmtTime(hit.time));
      playFrom(hit.time);
      return;
    }
    if (audio) { audio.currentTime = Math.max(0, hit.time); requestDraw(); }
  });
  scroller.addEventListener("scroll", requestDraw, { passive: true });
  scroller.addEventListener("wheel", function (ev) {
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      var rect = canvas.getBoundingClientRect();
      setZoom(view.pps * Math.exp(-ev.deltaY * 0.01), ev.clientX - rect.left);
    } else if (Math.abs(ev.deltaY) > Math.abs(ev.deltaX) && !ev.shiftKey) {
      ev.preventDefault(); // a mouse wheel scrolls the timeline sideways
      scroller.scrollLeft += ev.deltaY;
    }
  }, { passive: false });
  var pinch = null;
  function touchDist(ev) {
    var a = ev.touches[0], b = ev.touches[1];
    return { d: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), x: (a.clientX + b.clientX) / 2 };
  }
  scroller.addEventListener("touchstart", function (ev) {
    if (ev.touches.length === 2) { var m = touchDist(ev); pinch = { d: m.d, pps: view.pps }; }
  }, { passive: true });
  scroller.addEventListener("touchmove", function (ev) {
    if (!pinch || ev.touches.length !== 2) return;
    ev.preventDefault();
    var m = touchDist(ev), rect = canvas.getBoundingClientRect();
    setZoom(pinch.pps * m.d / Math.max(1, pinch.d), m.x - rect.left);
  }, { passive: false });
  scroller.addEventListener("touchend", function () { pinch = null; });

  function visibleEvents() {
    return events.filter(function (e) { return e.type !== "switch" || showSwitches; });
  }
  function stepEvent(forward) {
    var list = visibleEvents(); if (!list.length) return;
    var cur = selected >= 0 ? events[selected].start_s : viewStart();
    var pick = null;
    if (forward) {
      for (var i = 0; i < list.length; i++) {
        if (list[i].start_s > cur || (list[i].start_s === cur && list[i].index > selected) ||
            (selected < 0 && list[i].start_s >= cur)) { pick = list[i]; break; }
      }
    } else {
      for (var j = list.length - 1; j >= 0; j--) {
        if (list[j].start_s < cur || (list[j].start_s === cur && list[j].index < selected)) { pick = list[j]; break; }
      }
    }
    if (pick) selectEvent(pick.index, {});
  }
  scroller.addEventListener("keydown", function (ev) {
    var key = ev.key;
    if (key === "+" || key === "=") { setZoom(view.pps * 1.5, view.width / 2); }
    else if (key === "-" || key === "_") { setZoom(view.pps / 1.5, view.width / 2); }
    else if (key === "0") { setZoom(fitPps(), 0); }
    else if (key === "ArrowRight" || key === "ArrowLeft") { stepEvent(key === "ArrowRight"); }
    else if (key === "Enter" || key === " ") {
      if (selected >= 0) playFrom(events[selected].start_s);
      else if (audio) togglePlay();
    } else if (key === "Home") { scroller.scrollLeft = 0; }
    else if (key === "End") { scroller.scrollLeft = scroller.scrollWidth; }
    else return;
    ev.preventDefault();
  });
  document.addEventListener("keydown", function (ev) {
    for (var i = 0; i < keyHandlers.length; i++) {
      if (keyHandlers[i](ev)) { ev.preventDefault(); ev.stopPropagation(); return; }
    }
  }, true);

  $("zoom-in").addEventListener("click", function () { setZoom(view.pps * 2, view.width / 2); });
  $("zoom-out").addEventListener("click", function () { setZoom(view.pps / 2, view.width / 2); });
  $("zoom-fit").addEventListener("click", function () { setZoom(fitPps(), 0); });
  $("show-switches").addEventListener("change", function (ev) { showSwitches = ev.target.checked; requestDraw(); });

  function togglePlay() {
    if (!audio) return;
    if (audio.paused) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); } else audio.pause();
  }
  var playBtn = $("play");
  if (!audio) { playBtn.disabled = true; playBtn.title = "No recording attached"; }
  playBtn.addEventListener("click", togglePlay);
  function updateClock() {
    var t = audio ? audio.currentTime : 0;
    $("clock").textContent = fmtTime(t) + " / " + fmtTime(duration);
  }
  function followPlayhead() {
    if (!audio) return;
    var x = timeToX(audio.currentTime);
    if (!audio.paused && (x > view.width * 0.9 || x < 0)) scroller.scrollLeft = Math.max(0, audio.currentTime * view.pps - view.width * 0.1);
    updateClock(); requestDraw();
  }
  if (audio) {
    var raf = null;
    var loop = function () { followPlayhead(); raf = audio.paused ? null : requestAnimationFrame(loop); };
    audio.addEventListener("play", function () {
      playBtn.innerHTML = "&#10074;&#10074;"; playBtn.setAttribute("aria-label", "Pause");
      if (!raf) raf = requestAnimationFrame(loop);
    });
    audio.addEventListener("pause", function () {
      playBtn.innerHTML = "&#9654;"; playBtn.setAttribute("aria-label", "Play"); followPlayhead();
    });
    audio.addEventListener("seeked", followPlayhead);
    audio.addEventListener("timeupdate", function () { if (audio.paused) followPlayhead(); });
  }

  // ---------------------------------------------------------------- heatmap
  var matrixType = $("matrix-type");
  TYPES.forEach(function (t) {
    var opt = document.createElement("option"); opt.value = t; opt.textContent = plural(t);
    matrixType.appendChild(opt);
  });
  var optAll = document.createElement("option"); optAll.value = "all"; optAll.textContent = "all overlapping events";
  matrixType.appendChild(optAll);
  // the matrix is "dense" (every pair) up to 50 speakers and "sparse" (pairs with events) beyond:
  // a pair absent counts 0 either way (docs/json.md)
  function matrixCount(type, by, of) {
    if (type === "all") return TYPES.slice(0, 4).reduce(function (n, t) { return n + matrixCount(t, by, of); }, 0);
    var row = (DATA.matrix[type] || {})[by] || {};
    return row[of] || 0;
  }
  // many speakers: the table shows the MATRIX_MAX who spoke most (a 300 x 300 table helps nobody)
  // (of the current data: a correction can merge speakers away or add one)
  var MATRIX_MAX = 40;
  function matrixSpeakers() {
    if (speakers.length <= MATRIX_MAX) return speakers;
    var most = {};
    DATA.speakers.slice().sort(function (a, b) { return b.talk_time_s - a.talk_time_s; })
      .slice(0, MATRIX_MAX).forEach(function (s) { most[s.id] = true; });
    return speakers.filter(function (s) { return most[s]; });
  }
  function renderMatrix() {
    var type = matrixType.value, table = $("matrix"), max = 0, speakers = matrixSpeakers();
    speakers.forEach(function (a) { speakers.forEach(function (b) { if (a !== b) max = Math.max(max, matrixCount(type, a, b)); }); });
    var base = type === "all" ? COLOR.interruption : COLOR[type];
    table.innerHTML = "";
    if (speakers.length < DATA.speakers.length) {
      var caption = document.createElement("caption");
      caption.textContent = "The " + speakers.length + " of " + DATA.speakers.length +
        " speakers who spoke most; the JSON has every pair.";
      table.appendChild(caption);
    }
    var thead = document.createElement("thead"), tr = document.createElement("tr");
    var corner = document.createElement("th"); corner.scope = "col"; corner.textContent = "by ↓ / of →"; tr.appendChild(corner);
    speakers.forEach(function (s) {
      var th = document.createElement("th"); th.scope = "col"; th.title = names[s];
      breakable(th, names[s]);
      tr.appendChild(th);
    });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    speakers.forEach(function (a) {
      var row = document.createElement("tr");
      var th = document.createElement("th"); th.scope = "row"; th.textContent = names[a]; th.title = names[a];
      row.appendChild(th);
      speakers.forEach(function (b) {
        var td = document.createElement("td");
        if (a === b) { td.className = "self"; td.textContent = "–"; td.setAttribute("aria-label", "same speaker"); }
        else {
          var n = matrixCount(type, a, b), f = max ? n / max : 0;
          td.textContent = n;
          var bg = n ? mix(base, f) : [255, 255, 255];
          td.style.background = "rgb(" + bg.join(",") + ")";
          td.style.color = textOn(bg);
          td.setAttribute("aria-label", names[a] + " over " + names[b] + ": " + n);
        }
        row.appendChild(td);
      });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
  }
  /* A name that may wrap between words and after "_", "-" or "." (SPEAKER_|10), never inside one. */
  function breakable(node, text) {
    text.replace(/([_.\-])/g, "$1\n").split("\n").forEach(function (part, i) {
      if (i) node.appendChild(document.createElement("wbr"));
      node.appendChild(document.createTextNode(part));
    });
  }
  function mix(hex, f) { // white -> hex by f in [0, 1], as [r, g, b]
    var c = parseInt(hex.slice(1), 16), k = 0.15 + 0.85 * f, rgb;
    for (; ; k = Math.min(1, k + 0.02)) { // skip the mid shades where no text colour reads well
      rgb = [c >> 16, (c >> 8) & 255, c & 255].map(function (v) { return Math.round(255 + (v - 255) * k); });
      if (k >= 1 || bestContrast(rgb) >= 4.5) return rgb;
    }
  }
  function bestContrast(rgb) {
    var l = luminance(rgb);
    return Math.max(1.05 / (l + 0.05), (l + 0.05) / (0.0137 + 0.05));
  }
  function luminance(rgb) {
    var lin = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function textOn(rgb) { // the text colour with the better contrast on this background
    var l = luminance(rgb), dark = 0.0137; // luminance of #1b1f24
    return (1.05 / (l + 0.05)) > ((l + 0.05) / (dark + 0.05)) ? "#ffffff" : "#1b1f24";
  }
  matrixType.addEventListener("change", renderMatrix);

  // ---------------------------------------------------------------- speaker table
  // [key, heading, sort value, cell text, group heading]: columns with a group heading sit
  // under it in a second header row ("Interruptions: made / received").
  var COLUMNS = [
    ["name", "Speaker", function (s) { return names[s.id]; }, function (s) { return names[s.id]; }],
    ["talk_time_s", "Talk", function (s) { return s.talk_time_s; }, function (s) { return fmtTime(s.talk_time_s); }],
    ["talk_share", "Share", function (s) { return s.talk_share; }, function (s) { return Math.round(100 * s.talk_share) + "%"; }],
    ["turns", "Turns", null, null],
    ["longest_turn_s", "Longest", null, function (s) { return fmtSec(s.longest_turn_s); }],
    ["interruptions_made", "made", null, null, "Interruptions"],
    ["interruptions_received", "recv.", null, null, "Interruptions"],
    ["failed_interruptions_made", "made", null, null, "Failed int."],
    ["failed_interruptions_received", "recv.", null, null, "Failed int."],
    ["backchannels_made", "made", null, null, "Backch."],
    ["overlaps_made", "made", null, null, "Overlaps"],
    ["mean_response_gap_s", "Gap", null, function (s) { return fmtSec(s.mean_response_gap_s); }]
  ];
  var FULL = {
    talk_time_s: "talk time", talk_share: "share of all speech", turns: "turns",
    longest_turn_s: "longest turn",
    interruptions_made: "interruptions made", interruptions_received: "interruptions received",
    failed_interruptions_made: "failed interruptions made",
    failed_interruptions_received: "failed interruptions received",
    backchannels_made: "backchannels made",
    overlaps_made: "overlaps made", mean_response_gap_s: "mean gap before taking the turn"
  };
  var GROUP_TITLE = { "Failed int.": "Failed interruptions", "Backch.": "Backchannels" };
  var sortState = { key: "talk_time_s", dir: -1 };
  function sortButton(c, table) {
    var b = document.createElement("button"); b.type = "button"; b.textContent = c[1];
    if (FULL[c[0]]) { b.title = FULL[c[0]]; b.setAttribute("aria-label", "Sort by " + FULL[c[0]]); }
    b.dataset.key = c[0];
    b.addEventListener("click", function () {
      sortState = { key: c[0], dir: sortState.key === c[0] ? -sortState.dir : (c[0] === "name" ? 1 : -1) };
      renderSpeakers();
      var again = table.querySelector('button[data-key="' + c[0] + '"]'); if (again) again.focus();
    });
    return b;
  }
  function renderSpeakers() {
    var table = $("speaker-table");
    table.innerHTML = "";
    var thead = document.createElement("thead"), top = document.createElement("tr"), sub = document.createElement("tr");
    top.className = "group-row";
    COLUMNS.forEach(function (c, ci) {
      var th = document.createElement("th"); th.scope = "col";
      th.setAttribute("aria-sort", sortState.key === c[0] ? (sortState.dir > 0 ? "ascending" : "descending") : "none");
      th.appendChild(sortButton(c, table));
      if (!c[4]) { th.rowSpan = 2; top.appendChild(th); return; }
      if (ci === 0 || COLUMNS[ci - 1][4] !== c[4]) {
        var span = COLUMNS.filter(function (d) { return d[4] === c[4]; }).length;
        var g = el("th", { scope: "colgroup", colspan: String(span), "class": "colgroup",
          title: GROUP_TITLE[c[4]] || c[4] }, c[4]);
        top.appendChild(g);
      }
      sub.appendChild(th);
    });
    thead.appendChild(top); thead.appendChild(sub); table.appendChild(thead);
    var col = COLUMNS.filter(function (c) { return c[0] === sortState.key; })[0];
    var value = col[2] || function (s) { return s[col[0]]; };
    var rows = DATA.speakers.slice().sort(function (a, b) {
      var va = value(a), vb = value(b);
      if (va == null) va = -Infinity; if (vb == null) vb = -Infinity;
      return (va < vb ? -1 : va > vb ? 1 : 0) * sortState.dir;
    });
    var tbody = document.createElement("tbody");
    rows.forEach(function (s) {
      var row = document.createElement("tr");
      COLUMNS.forEach(function (c, ci) {
        var cell = document.createElement(ci === 0 ? "th" : "td");
        if (ci === 0) {
          cell.scope = "row"; cell.title = names[s.id];
          var sw = document.createElement("span"); sw.className = "swatch";
          sw.style.background = speakerColor(colorSlot[s.id]); sw.style.marginRight = "6px";
          cell.appendChild(sw);
        }
        cell.appendChild(document.createTextNode(c[3] ? c[3](s) : String(s[c[0]])));
        row.appendChild(cell);
      });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
  }

  // ---------------------------------------------------------------- groups, sensitivity, voices
  function table(headers, rows, cls) {
    var t = el("table", { "class": cls || "plain" }), thead = el("thead"), tr = el("tr");
    headers.forEach(function (h) { var th = el("th", { scope: "col" }, h[0]); if (h[1]) th.title = h[1]; tr.appendChild(th); });
    thead.appendChild(tr); t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (v, i) { row.appendChild(el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : null, v)); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    var wrap = el("div", { "class": "table-wrap" }); wrap.appendChild(t);
    return wrap;
  }
  function speakerList(ids) { return ids.map(function (id) { return names[id] || id; }).join(", "); }
  function fmtRatio(c) {
    if (c.ratio == null && c.count_a + c.count_b === 0) return "–";
    var ratio = c.ratio == null ? "∞" : fmtNum(c.ratio);
    var lo = c.ci_low == null ? "–" : fmtNum(c.ci_low), hi = c.ci_high == null ? "∞" : fmtNum(c.ci_high);
    return ratio + " (" + lo + "–" + hi + ")";
  }
  function renderGroups() {
    var box = $("groups"), attrs = Object.keys(DATA.groups);
    $("groups-section").hidden = attrs.length === 0;
    box.innerHTML = "";
    attrs.forEach(function (attr) {
      var g = DATA.groups[attr], part = el("div", { "class": "group-block" });
      part.appendChild(el("h3", null, "By " + attr));
      part.appendChild(table(
        [["Group"], ["Speakers"], ["Share", "share of all speech"], ["Floor", "time holding the floor"],
          ["Int. made", "interruptions made"], ["Int. received", "interruptions received"],
          ["Received / min", "interruptions received per minute of floor time"],
          ["Failed received", "failed interruptions received"]],
        g.groups.map(function (f) {
          return [f.value, speakerList(f.speakers), Math.round(100 * f.talk_share) + "%",
            fmtTime(f.floor_time_s), String(f.interruptions_made), String(f.interruptions_received),
            fmtNum(f.interruptions_received_per_min), String(f.failed_interruptions_received)];
        }), "plain groups-table"));
      if (g.pairs.length) {
        part.appendChild(el("p", { "class": "caption" },
          "Who interrupts whom, by " + attr + " (interruptions per minute of the receiver's floor time):"));
        part.appendChild(table(
          [["By → of"], ["Interruptions"], ["Failed"], ["Per min of floor"]],
          g.pairs.map(function (p) {
            return [p.by + " → " + p.of, String(p.interruptions), String(p.failed_interruptions),
              fmtNum(p.interruptions_per_min)];
          }), "plain pairs-table"));
      }
      if (g.contrasts.length) {
        part.appendChild(el("p", { "class": "caption" },
          "Rate ratios with exact 95% intervals (a / b; above 1: a's rate is higher):"));
        part.appendChild(table(
          [["Comparison"], ["a / b"], ["Events a : b"], ["Rate ratio (95% CI)"], ["p"], ["Verdict"]],
          g.contrasts.map(function (c) {
            var what = (c.kind === "received" ? "received " : "made across ") + plural(c.event_type);
            return [what, c.a + " / " + c.b, c.count_a + " : " + c.count_b, fmtRatio(c),
              c.p_value == null ? "–" : (c.p_value < 0.001 ? "< 0.001" : c.p_value.toFixed(3)), c.verdict];
          }), "plain contrasts-table"));
      } else if (g.groups.length < 2) {
        part.appendChild(el("p", { "class": "caption" }, "Only one " + attr + " given: no groups to compare."));
      }
      if (g.unassigned.length) {
        part.appendChild(el("p", { "class": "caption" },
          "No " + attr + " given for " + speakerList(g.unassigned) + ": left out of these groups."));
      }
      box.appendChild(part);
    });
  }
  function renderSensitivity() {
    var s = DATA.sensitivity, box = $("sensitivity");
    $("sensitivity-section").hidden = !s;
    box.innerHTML = "";
    if (!s) return;
    if (DATA.sensitivity_of === "automatic") {
      box.appendChild(el("p", { "class": "caption" }, "Of the automatic analysis: the corrected " +
        "version's is recomputed for its export."));
    }
    box.appendChild(el("p", { "class": "caption" },
      "Each headline recomputed over " + s.configs + " threshold settings (min_pause " +
      s.grid.min_pause_s.join(", ") + " s; backchannel_max " + s.grid.backchannel_max_s.join(", ") +
      " s; grace " + s.grid.grace_s.join(", ") + " s)."));
    box.appendChild(table(
      [["Headline"], ["Subject"], ["At the chosen thresholds"], ["Range over the grid"], ["Conclusive in"]],
      s.headlines.map(function (h) {
        var isCount = h.quantity === "interruptions";
        var f = function (x) { return x == null ? (h.unbounded ? "∞" : "–") : isCount ? x.toFixed(0) : fmtNum(x); };
        var conc = h.conclusive_configs == null ? "–" : h.conclusive_configs + " of " + s.configs +
          (h.conclusive_configs > 0 && h.conclusive_configs < s.configs ? " — depends on the thresholds" : "");
        return [h.quantity.replace(/_/g, " "), h.subject, f(h.chosen), f(h.low) + " – " + f(h.high), conc];
      }), "plain sensitivity-table"));
  }
  function renderVoices() {
    var v = DATA.voice_matches, box = $("voices");
    $("voices-section").hidden = !v.length;
    box.innerHTML = "";
    if (!v.length) return;
    box.appendChild(table(
      [["Speaker"], ["Enrolled voice"], ["Similarity", "cosine similarity of the voice embeddings"],
        ["Solo speech", "speech alone the speaker was compared on"], ["Named"]],
      v.map(function (m) {
        return [m.speaker, m.name || "–", m.similarity == null ? "–" : m.similarity.toFixed(2),
          fmtSec(m.speech_s), m.matched ? "yes" : "no: keeps its id"];
      }), "plain voices-table"));
  }

  // ---------------------------------------------------------------- event list
  var filterType = $("filter-type"), filterSpeaker = $("filter-speaker");
  [["all", "all types"]].concat(TYPES.map(function (t) { return [t, LABEL[t]]; })).forEach(function (p) {
    var o = document.createElement("option"); o.value = p[0]; o.textContent = p[1]; filterType.appendChild(o);
  });
  function renderSpeakerFilter() {
    var keep = filterSpeaker.value || "all";
    filterSpeaker.innerHTML = "";
    [["all", "anyone"]].concat(speakers.map(function (s) { return [s, names[s]]; })).forEach(function (p) {
      var o = document.createElement("option"); o.value = p[0]; o.textContent = p[1]; filterSpeaker.appendChild(o);
    });
    filterSpeaker.value = speakers.indexOf(keep) >= 0 ? keep : "all";
  }
  function renderEvents() {
    var type = filterType.value, spk = filterSpeaker.value;
    var list = $("event-list"), frag = document.createDocumentFragment(), n = 0;
    list.innerHTML = "";
    events.forEach(function (e) {
      if (type !== "all" && e.type !== type) return;
      if (spk !== "all" && e.by !== spk && e.of !== spk) return;
      var item = document.createElement("li"), b = document.createElement("button");
      b.type = "button"; b.dataset.index = e.index; b.dataset.type = e.type;
      if (e.id) b.dataset.id = e.id;
      if (e.verdict) b.dataset.verdict = e.verdict;
      var detail = e.type === "switch" || e.type === "silent_interruption" ? "gap " + fmtSec(e.gap_s)
        : fmtTogether(e.overlap_s);
      if (e.confidence != null) detail += ", confidence " + Math.round(e.confidence * 100) + "%";
      b.innerHTML = '<span class="t"></span><span class="kind">' + shapeSvg(e.type) + ' </span><span class="who"></span><span class="detail"></span>';
      b.querySelector(".t").textContent = fmtTime(e.start_s);
      var kind = b.querySelector(".kind"); kind.style.color = COLOR[e.type];
      kind.appendChild(document.createTextNode(LABEL[e.type] || e.type));
      b.querySelector(".who").textContent = describe(e);
      b.querySelector(".detail").textContent = detail;
      var label = fmtTime(e.start_s) + ", " + LABEL[e.type] + ": " + describe(e) + ", " + detail;
      if (e.verdict) {
        var badge = el("span", { "class": "verdict " + e.verdict }, e.verdict === "rejected" ? "✗ rejected" : "✓ confirmed");
        b.appendChild(badge);
        label += ", " + e.verdict;
      }
      b.setAttribute("aria-label", label + ". Press Enter to play.");
      if (e.index === selected) b.setAttribute("aria-current", "true");
      item.appendChild(b); frag.appendChild(item); n++;
    });
    list.appendChild(frag);
    $("event-count").textContent = "Showing " + n + " of " + events.length + " events";
  }
  $("event-list").addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-index]");
    if (b) selectEvent(+b.dataset.index, { play: true, jump: true });
  });
  filterType.addEventListener("change", renderEvents);
  filterSpeaker.addEventListener("change", renderEvents);

  // ---------------------------------------------------------------- config
  function renderConfig() {
    var cfg = $("config");
    cfg.innerHTML = "";
    var addConfig = function (k, v) { cfg.appendChild(el("dt", null, k)); cfg.appendChild(el("dd", null, v)); };
    addConfig("talkover version", DATA.talkover_version);
    Object.keys(DATA.config).forEach(function (k) { addConfig(k, DATA.config[k] + (/_s$/.test(k) ? " s" : "")); });
    addConfig("input", DATA.input.path || "(in-memory timeline)");
    addConfig("recording", DATA.input.media_path || "none");
  }

  function renderAll(live) {
    renderHeader(live); renderLaneLabels(); renderSpeakerFilter(); renderMatrix(); renderSpeakers();
    renderEvents(); renderGroups(); renderSensitivity(); renderVoices(); renderConfig(); updateClock();
  }
  /* Replace the data (after a correction): everything is recomputed and redrawn; the zoom,
   * the scroll position and the selected event (by its id, when events carry one) are kept. */
  function setData(data) {
    var keepId = selected >= 0 && events[selected] ? events[selected].id : null;
    var keepIndex = selected;
    dataBlock.textContent = JSON.stringify(data).replace(/</g, "\\u003c");
    load(data);
    selected = -1;
    if (keepId != null) {
      for (var i = 0; i < events.length; i++) if (events[i].id === keepId) { selected = i; break; }
    } else if (keepIndex >= 0 && keepIndex < events.length && !events[0].id) {
      selected = keepIndex;
    }
    var left = scroller.scrollLeft, pps = view.pps;
    renderAll(true);
    resize();
    if (pps > fitPps()) { setZoom(pps, 0); scroller.scrollLeft = left; }
    requestDraw();
  }

  renderAll();
  window.addEventListener("resize", resize);
  resize();

  // The page's handle for tests, the review code and the curious.
  var api = {
    get data() { return DATA; },
    stats: function () { draw(); return stats; },
    timeToX: timeToX,
    xToTime: xToTime,
    laneY: function (speaker) { return AXIS_H + laneOf[speaker] * LANE_H + LANE_H / 2; },
    laneTop: function (lane) { return AXIS_H + lane * LANE_H; },
    laneOf: function (speaker) { return laneOf[speaker]; },
    speakers: function () { return speakers.slice(); },
    names: function () { return names; },
    view: function () { return { pps: view.pps, start_s: viewStart(), width: view.width, fit_pps: fitPps() }; },
    zoom: function (pps) { setZoom(pps, view.width / 2); },
    centerOn: centerOn,
    formatTime: fmtTime,
    select: function (i) { selectEvent(i, { jump: true }); },
    selectEvent: selectEvent,
    selected: function () { return selected; },
    step: stepEvent,
    playFrom: playFrom,
    setStatus: setStatus,
    setData: setData,
    redraw: requestDraw,
    hitTest: hitTest,
    edgeAt: edgeAt,
    audio: audio,
    colors: COLOR,
    constants: { AXIS_H: AXIS_H, LANE_H: LANE_H, BAR_PAD: BAR_PAD, PRE_ROLL_S: PRE_ROLL_S },
    addLayer: function (fn) { layers.push(fn); requestDraw(); },
    addPointerHandler: function (h) { pointerHandlers.push(h); },
    addKeyHandler: function (fn) { keyHandlers.push(fn); },
    onSelect: function (fn) { selectListeners.push(fn); }
  };
  window.talkoverReport = api;
})();
