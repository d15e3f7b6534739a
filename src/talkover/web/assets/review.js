/* talkover serve: review mode on the report page. Keyboard first, mouse optional.
 *
 * Every correction is one edit sent to POST /api/recordings/{id}/edits; the answer is the new
 * version's data block, which the report redraws (talkoverReport.setData). Nothing is computed
 * here: events, counts, matrix and groups come from the library on the server.
 */
(function () {
  "use strict";
  var R = window.talkoverReport;
  var $ = function (id) { return document.getElementById(id); };
  var bar = $("review-bar");
  if (!R || !bar) return;
  var ID = bar.dataset.id;
  var BASE = "/api/recordings/" + encodeURIComponent(ID);
  var NUDGE_S = 0.05;
  var state = { on: false, boundary: null, segment: null, speaker: null, pending: 0, drag: null,
                moves: 0, restoredUpTo: 0 };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }
  function ms(t) { return Math.round(t * 1000) / 1000; }
  function name(id) { return R.names()[id] || id; }
  function say(text) { $("review-message").textContent = text || ""; }

  // ---------------------------------------------------------------- talking to the server
  var queue = Promise.resolve();
  /* Edits are sent one after another (a burst of key presses applies in order). `refused`, if
   * given, is called when the server does not apply the edit, before the page reloads. */
  function send(edit, refused) {
    state.pending++;
    queue = queue.then(function () {
      return fetch(BASE + "/edits", {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(edit)
      }).then(function (res) {
        return res.json().catch(function () { return {}; })
          .then(function (body) { return { status: res.status, body: body }; });
      }).then(function (r) {
        state.pending--;
        if (r.status !== 200) {
          say(r.body.error || ("refused (" + r.status + ")"));
          if (refused) refused(r);
          if (r.status === 409 || !state.pending) return reload(); // back to the server's version
          return null;
        }
        say("");
        afterData(r.body);
        return r.body;
      }, function (err) { // no answer (the edit may or may not have been applied)
        state.pending--; say("The server did not answer: " + err);
        if (refused) refused(null);
      }).catch(function (err) { // an answer the page could not show: counted once, said
        say("The page could not show the new version (" + err + "); reload the page.");
      });
    });
    return queue;
  }
  function reload() {
    return fetch(BASE + "/review", { headers: { Accept: "application/json" } }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (res.ok) afterData(body);
        else say(body.error || ("the review could not be loaded (" + res.status + ")"));
      });
    });
  }
  function afterData(data) {
    data.media = R.data.media;
    R.setData(data);
    if (!state.pending) refreshBoundary(); // (edits still on their way moved it already)
    refreshSelection();
    updateBar();
    renderPanel();
    if (!$("changes").hidden) showChanges();
  }

  // ---------------------------------------------------------------- the toolbar
  function updateBar() {
    var rv = R.data.review || {};
    $("review-progress").textContent = (rv.reviewed || 0) + " of " + (rv.total || 0) + " reviewed";
    $("rv-undo").disabled = !rv.can_undo;
    $("rv-redo").disabled = !rv.can_redo;
  }
  function setMode(on) {
    state.on = on;
    document.body.classList.toggle("reviewing", on);
    $("review-toggle").setAttribute("aria-pressed", String(on));
    try { localStorage.setItem("talkover-review", on ? "1" : "0"); } catch (e) { /* private mode */ }
    $("review-panel").hidden = !on;
    if (on) { renderPanel(); if (R.selected() < 0) resume(); }
    R.redraw();
  }
  $("review-toggle").addEventListener("click", function () { setMode(!state.on); });
  $("rv-next").addEventListener("click", function () { step(1); });
  $("rv-prev").addEventListener("click", function () { step(-1); });
  $("rv-play").addEventListener("click", play);
  $("rv-confirm").addEventListener("click", function () { verdict("confirmed"); });
  $("rv-reject").addEventListener("click", function () { verdict("rejected"); });
  $("rv-undo").addEventListener("click", function () { send({ op: "undo" }); });
  $("rv-redo").addEventListener("click", function () { send({ op: "redo" }); });
  $("rv-help").addEventListener("click", function () { $("keys-dialog").showModal(); });
  $("rv-changes").addEventListener("click", function () {
    var box = $("changes");
    if (!box.hidden) { box.hidden = true; return; }
    showChanges();
  });

  // ---------------------------------------------------------------- the queue and verdicts
  function current() { var i = R.selected(); return i >= 0 ? R.data.events[i] : null; }
  function indexOfId(id) {
    var ev = R.data.events;
    for (var i = 0; i < ev.length; i++) if (ev[i].id === id) return i;
    return -1;
  }
  /* The next (dir 1) or previous (-1) event of the queue: least confident first. */
  function step(dir) {
    var q = (R.data.review || {}).queue || [];
    if (!q.length) { say("No events to review."); return; }
    var e = current(), at = e ? q.indexOf(e.id) : -1;
    var next = at < 0 ? (dir > 0 ? 0 : q.length - 1) : at + dir;
    if (next < 0 || next >= q.length) { say(dir > 0 ? "That was the last event of the queue." : "That was the first."); return; }
    var i = indexOfId(q[next]);
    if (i >= 0) { R.selectEvent(i, { jump: true }); say(""); }
  }
  /* Where a review left off (after a reload, or on the next visit): the first event of the
   * queue without a verdict, or the first of the queue when every one has one. */
  function resume() {
    var q = (R.data.review || {}).queue || [];
    for (var k = 0; k < q.length; k++) {
      var i = indexOfId(q[k]);
      if (i >= 0 && !R.data.events[i].verdict) { R.selectEvent(i, { jump: true }); return; }
    }
    step(1);
  }
  function verdict(kind) {
    var e = current();
    if (!e) { say("Select an event first (j / k, or click one)."); return; }
    var value = e.verdict === kind ? null : kind;
    send({ op: "set_verdict", verdict: value,
           event: { type: e.type, by: e.by, of: e.of, start_s: e.start_s } });
  }
  function play() {
    if (state.boundary && !current()) { R.playFrom(boundaryTime()); return; }
    var e = current();
    if (e) R.playFrom(e.start_s);
    else if (state.boundary) R.playFrom(boundaryTime());
  }

  // ---------------------------------------------------------------- boundaries
  /* The boundary to nudge: {speaker, start_s, end_s, edge} of one segment. Selecting an event
   * picks the boundary that decides it: the end of the other speaker's speech for an
   * interruption or overlap (it decides between the two), else the onset of the one who acts. */
  function segmentsOf(speaker) {
    return R.data.segments.filter(function (s) { return s.speaker === speaker; });
  }
  function boundaryFor(e, which) {
    // the event's units (inter-pausal units, in the data as indices): the one who acts starts
    // at their unit's onset; the other's unit ends with one of their segments
    var units = R.data.units || [], idx = which === "of" ? e.of_unit : e.by_unit;
    var unit = idx != null ? units[idx] : null;
    var spk = which === "of" ? e.of : e.by, s;
    if (unit) {
      s = segmentsOf(spk).filter(function (x) {
        return which === "of" ? Math.abs(x.end_s - unit.end_s) < 0.0015 && x.start_s >= unit.start_s - 0.0015
          : Math.abs(x.start_s - unit.start_s) < 0.0015;
      })[0];
    } else if (which === "of") { // data without units: the other's segment around the onset
      var held = segmentsOf(spk).filter(function (x) { return x.start_s < e.start_s && x.end_s > e.start_s - 0.3; });
      s = held.length ? held.reduce(function (a, b) { return b.end_s > a.end_s ? b : a; }) : null;
    } else {
      s = segmentsOf(spk).filter(function (x) { return Math.abs(x.start_s - e.start_s) < 0.0015; })[0];
    }
    if (!s) return null;
    return { speaker: s.speaker, start_s: s.start_s, end_s: s.end_s,
             edge: which === "of" ? "end" : "start", which: which };
  }
  R.onSelect(function (e) {
    var prefer = e.type === "interruption" || e.type === "overlap" ? "of" : "by";
    state.boundary = boundaryFor(e, prefer) || boundaryFor(e, prefer === "of" ? "by" : "of");
    state.segment = null; state.speaker = null;
    renderPanel();
  });
  function boundaryTime() { var b = state.boundary; return b.edge === "start" ? b.start_s : b.end_s; }
  function switchBoundary() {
    var e = current(); if (!e) return;
    var other = state.boundary && state.boundary.which === "of" ? "by" : "of";
    var b = boundaryFor(e, other);
    if (b) { state.boundary = b; renderPanel(); R.redraw(); }
  }
  function refreshBoundary() { // after new data: the boundary's segment, as it is now
    var b = state.boundary;
    if (!b) return;
    var same = R.data.segments.filter(function (s) {
      return s.speaker === b.speaker && Math.abs((b.edge === "start" ? s.start_s : s.end_s) - boundaryTime()) < 0.0015 &&
        Math.abs((b.edge === "start" ? s.end_s : s.start_s) - (b.edge === "start" ? b.end_s : b.start_s)) < 0.0015;
    })[0];
    if (same) { b.start_s = same.start_s; b.end_s = same.end_s; } else state.boundary = null;
  }
  /* After new data: a selected segment or speaker that this version no longer has (an edit,
   * an undo, another tab) is unselected, so that no edit is sent for it. */
  function refreshSelection() {
    var s = state.segment;
    if (s && !R.data.segments.some(function (x) {
      return x.speaker === s.speaker && Math.abs(x.start_s - s.start_s) < 0.0015 && Math.abs(x.end_s - s.end_s) < 0.0015;
    })) state.segment = null;
    if (state.speaker && R.speakers().indexOf(state.speaker) < 0) state.speaker = null;
  }
  function nudge(delta) {
    var b = state.boundary;
    if (!b) { say("Select an event (or drag a segment's edge) first."); return; }
    var to = ms(Math.max(0, boundaryTime() + delta));
    moveBoundary(b, to);
  }
  function moveBoundary(b, to) {
    var edit = { op: "move_boundary", edge: b.edge, to_s: to,
                 segment: { speaker: b.speaker, start_s: b.start_s, end_s: b.end_s } };
    // the boundary follows its segment right away, so that key repeats stack up; a refused
    // move puts it back where the server has it (moves sent after it fail too: the first
    // refusal restores, the later ones leave it there)
    var before = { start_s: b.start_s, end_s: b.end_s }, token = ++state.moves;
    if (b.edge === "start") b.start_s = to; else b.end_s = to;
    R.redraw();
    return send(edit, function () {
      if (token <= state.restoredUpTo || state.boundary !== b) return;
      state.restoredUpTo = state.moves;
      b.start_s = before.start_s; b.end_s = before.end_s;
      renderPanel(); R.redraw();
    });
  }

  // ---------------------------------------------------------------- segments and speakers
  function selectedSegment() {
    var s = state.segment;
    if (!s) return null;
    return { speaker: s.speaker, start_s: s.start_s, end_s: s.end_s };
  }
  function splitAtPlayhead() {
    var s = selectedSegment(), t = R.audio ? ms(R.audio.currentTime) : null;
    if (!s) { say("Click a segment first."); return; }
    if (t == null || t <= s.start_s || t >= s.end_s) { say("Put the playhead inside the segment to split it there."); return; }
    state.segment = null;
    send({ op: "split_segment", segment: s, at_s: t });
  }
  function deleteSegment() {
    var s = selectedSegment();
    if (!s) { say("Click a segment first."); return; }
    state.segment = null;
    send({ op: "delete_segment", segment: s });
  }
  function addAtPlayhead() {
    var spk = state.speaker || (state.segment && state.segment.speaker) || (current() && current().by);
    if (!spk) { say("Click a speaker's lane or name first."); return; }
    var t = R.audio ? R.audio.currentTime : 0;
    send({ op: "add_segment", speaker: spk, start_s: ms(t), end_s: ms(t + 1) });
  }

  // ---------------------------------------------------------------- the panel
  function renderPanel() {
    var panel = $("review-panel");
    panel.innerHTML = "";
    if (!state.on) return;
    var e = current();
    if (state.segment) segmentPanel(panel);
    else if (state.speaker) speakerPanel(panel);
    else if (e) eventPanel(panel, e);
    else panel.appendChild(el("span", { "class": "hint" },
      "Press j for the least confident event, or click an event, a segment or a speaker's name. ? shows the keys."));
  }
  function eventPanel(panel, e) {
    var text = R.formatTime(e.start_s) + " " + e.type.replace("_", " ") + ": " + name(e.by) + " → " + name(e.of);
    if (e.confidence != null) text += ", confidence " + Math.round(100 * e.confidence) + "%";
    if (e.verdict) text += " — " + e.verdict;
    panel.appendChild(el("span", { "class": "what" }, text));
    var b = state.boundary;
    if (b) {
      var label = (b.edge === "end" ? "end of " : "onset of ") + name(b.speaker) + "'s speech at " + R.formatTime(boundaryTime());
      panel.appendChild(el("span", { id: "boundary-label" }, "Boundary: " + label));
      button(panel, "− 50 ms", "Move the boundary 50 ms earlier ([)", function () { nudge(-NUDGE_S); });
      button(panel, "+ 50 ms", "Move the boundary 50 ms later (])", function () { nudge(NUDGE_S); });
      button(panel, "Other boundary", "Switch to the other boundary (b)", switchBoundary);
    }
  }
  function segmentPanel(panel) {
    var s = state.segment;
    panel.appendChild(el("span", { "class": "what" },
      name(s.speaker) + " " + R.formatTime(s.start_s) + "–" + R.formatTime(s.end_s)));
    var label = el("label", null, "Speaker ");
    var select = el("select", { id: "reassign-select" });
    R.speakers().forEach(function (id) {
      var o = el("option", { value: id }, name(id)); if (id === s.speaker) o.selected = true; select.appendChild(o);
    });
    select.appendChild(el("option", { value: NEW_SPEAKER }, "New speaker…"));
    label.appendChild(select); panel.appendChild(label);
    var newLabel = el("label", { id: "new-speaker-label", hidden: "" }, "New speaker's id ");
    var newInput = el("input", { id: "new-speaker-input", autocomplete: "off", size: "12",
      title: "An id without spaces; name the speaker afterwards (click their name)" });
    newLabel.appendChild(newInput); panel.appendChild(newLabel);
    select.addEventListener("change", function () {
      var fresh = select.value === NEW_SPEAKER;
      newLabel.hidden = !fresh;
      if (fresh) { newInput.value = newInput.value || freeSpeakerId(); newInput.focus(); newInput.select(); }
    });
    newInput.addEventListener("keydown", function (ev) { if (ev.key === "Enter") reassign(); });
    function reassign() {
      var to = select.value;
      if (to === NEW_SPEAKER) {
        to = newInput.value.trim();
        var why = newSpeakerProblem(to);
        if (why) { say(why); newInput.focus(); return; }
      }
      if (to === s.speaker) return;
      var seg = selectedSegment(); state.segment = null;
      send({ op: "reassign_segment", segment: seg, speaker: to });
    }
    button(panel, "Reassign", "Give this segment to the chosen speaker (or a new one)", reassign);
    button(panel, "Split at playhead", "s", splitAtPlayhead);
    button(panel, "Delete", "Delete", deleteSegment);
  }
  var NEW_SPEAKER = ""; // the "new speaker" option (no speaker id is empty)
  /* An id for a new speaker like the others (SPEAKER_03 after SPEAKER_02), not taken. */
  function freeSpeakerId() {
    var ids = R.speakers(), taken = {};
    ids.concat(Object.keys(R.names()).map(function (k) { return R.names()[k]; }))
      .forEach(function (x) { taken[x] = true; });
    var m = /^(.*?)(\d+)$/.exec(ids[ids.length - 1] || ""), prefix = m ? m[1] : "speaker_";
    var width = m ? m[2].length : 1;
    for (var n = ids.length; ; n++) {
      var id = prefix + String(n).padStart(width, "0");
      if (!taken[id]) return id;
    }
  }
  /* Why a new speaker's id would be refused (the server says the same), or "". */
  function newSpeakerProblem(id) {
    if (!id) return "Give the new speaker an id.";
    if (/\s/.test(id)) return "A new speaker's id has no spaces (name the speaker afterwards).";
    if (R.speakers().indexOf(id) >= 0) return id + " is already a speaker: choose them in the list.";
    var names = R.names();
    for (var k in names) if (names[k] === id) return id + " is already the name of " + k + ": choose them in the list.";
    return "";
  }
  function speakerPanel(panel) {
    var id = state.speaker;
    panel.appendChild(el("span", { "class": "what" }, "Speaker " + id));
    var label = el("label", null, "Name ");
    var input = el("input", { id: "rename-input", value: R.names()[id] === id ? "" : R.names()[id], autocomplete: "off" });
    label.appendChild(input); panel.appendChild(label);
    var rename = function () { send({ op: "rename_speaker", speaker: id, name: input.value.trim() || null }); };
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") rename(); });
    button(panel, "Rename", "Name this speaker (Enter)", rename);
    var others = R.speakers().filter(function (x) { return x !== id; });
    if (others.length) {
      var ml = el("label", null, "Merge into ");
      var select = el("select", { id: "merge-select" });
      others.forEach(function (x) { select.appendChild(el("option", { value: x }, name(x))); });
      ml.appendChild(select); panel.appendChild(ml);
      button(panel, "Merge", "All of this speaker's speech becomes the other's", function () {
        state.speaker = null;
        send({ op: "merge_speakers", speaker: id, into: select.value });
      });
    }
  }
  function button(parent, text, title, fn) {
    var b = el("button", { type: "button", title: title }, text);
    b.addEventListener("click", fn);
    parent.appendChild(b);
    return b;
  }
  document.getElementById("lane-labels").addEventListener("click", function (ev) {
    var label = ev.target.closest(".lane-label");
    if (!label || !state.on) return;
    state.speaker = label.dataset.speaker; state.segment = null;
    renderPanel();
    var input = $("rename-input"); if (input) input.focus();
  });

  // ---------------------------------------------------------------- what changed
  function showChanges() {
    fetch(BASE + "/diff", { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
      .then(function (d) {
        var box = $("changes"); box.innerHTML = ""; box.hidden = false;
        var rv = R.data.review || {};
        box.appendChild(el("strong", null, (rv.edits || 0) + " edit(s) in the log, " + (rv.edits_in_effect || 0) + " in effect."));
        var list = el("ul");
        var line = function (text) { list.appendChild(el("li", null, text)); };
        Object.keys(d.counts).forEach(function (t) {
          var c = d.counts[t];
          if (c.automatic !== c.corrected) line(plural(t) + ": " + c.automatic + " → " + c.corrected);
        });
        var ev = function (e) { return e.type.replace("_", " ") + " " + name(e.by) + "→" + name(e.of) + " at " + R.formatTime(e.start_s); };
        d.events_added.forEach(function (e) { line("added: " + ev(e)); });
        d.events_removed.forEach(function (e) { line("removed: " + ev(e)); });
        d.events_retyped.forEach(function (p) { line("retyped: " + ev(p.from) + " → " + p.to.type.replace("_", " ")); });
        d.events_moved.forEach(function (p) { line("moved: " + ev(p.from) + " → " + R.formatTime(p.to.start_s)); });
        d.rejected.forEach(function (e) { line("rejected: " + ev(e)); });
        if (d.confirmed.length) line(d.confirmed.length + " event(s) confirmed");
        d.renamed.forEach(function (r) { line("renamed " + r.speaker + ": " + (r.from || r.speaker) + " → " + (r.to || r.speaker)); });
        speechChanges(d.segments_removed, d.segments_added).forEach(line);
        if (!list.children.length) line("Nothing changed yet: the counts are the automatic analysis'.");
        box.appendChild(list);
      });
  }

  /* Who spoke when, as lines: a segment removed and one added with the same times is
   * reassigned; the same speaker's with the same start or end is resized; the first
   * SPEECH_LINES lines, then how many more. */
  function plural(type) { return type.replace("_", " ") + (type === "switch" ? "es" : "s"); }
  var SPEECH_LINES = 20;
  function speechChanges(removed, added) {
    var span = function (s) { return s.start_s.toFixed(2) + "–" + s.end_s.toFixed(2) + " s"; };
    var left = added.slice(), lines = [];
    var take = function (test) {
      for (var i = 0; i < left.length; i++) if (test(left[i])) return left.splice(i, 1)[0];
      return null;
    };
    removed.forEach(function (r) {
      var a = take(function (x) { return x.start_s === r.start_s && x.end_s === r.end_s; });
      if (a) { lines.push("speech reassigned: " + span(r) + " " + name(r.speaker) + " → " + name(a.speaker)); return; }
      a = take(function (x) { return x.speaker === r.speaker && (x.start_s === r.start_s || x.end_s === r.end_s); });
      if (a) { lines.push("speech resized: " + name(r.speaker) + " " + span(r) + " → " + span(a)); return; }
      lines.push("speech removed: " + name(r.speaker) + " " + span(r));
    });
    left.forEach(function (a) { lines.push("speech added: " + name(a.speaker) + " " + span(a)); });
    if (lines.length > SPEECH_LINES) {
      var more = lines.length - SPEECH_LINES;
      lines = lines.slice(0, SPEECH_LINES).concat(["… and " + more + " more speech change(s)"]);
    }
    return lines;
  }

  // ---------------------------------------------------------------- drawing
  R.addLayer(function (ctx) {
    if (!state.on) return;
    var C = R.constants;
    var seg = state.segment;
    if (seg) {
      var lane = R.laneOf(seg.speaker);
      if (lane != null) {
        var x0 = R.timeToX(seg.start_s), x1 = R.timeToX(seg.end_s);
        ctx.strokeStyle = "#0b57d0"; ctx.lineWidth = 2;
        ctx.strokeRect(x0, R.laneTop(lane) + C.BAR_PAD - 2, Math.max(2, x1 - x0), C.LANE_H - 2 * C.BAR_PAD + 4);
      }
    }
    var b = state.drag ? state.drag.preview : state.boundary;
    if (b) {
      var bl = R.laneOf(b.speaker);
      if (bl != null) {
        var x = R.timeToX(b.edge === "start" ? b.start_s : b.end_s), top = R.laneTop(bl);
        ctx.fillStyle = "#0b57d0";
        ctx.fillRect(Math.round(x) - 1.5, top + 2, 3, C.LANE_H - 4);
        ctx.beginPath(); ctx.arc(x, top + C.LANE_H / 2, 5, 0, 2 * Math.PI); ctx.fill();
      }
    }
    if (state.drag && state.drag.add) {
      var a = state.drag.add, al = R.laneOf(a.speaker);
      ctx.fillStyle = "rgba(11, 87, 208, 0.35)";
      var xa = R.timeToX(Math.min(a.from, a.to)), xb = R.timeToX(Math.max(a.from, a.to));
      ctx.fillRect(xa, R.laneTop(al) + C.BAR_PAD, Math.max(1, xb - xa), C.LANE_H - 2 * C.BAR_PAD);
    }
  });

  // ---------------------------------------------------------------- the mouse
  var scroller = $("scroller");
  function laneAt(y) {
    var C = R.constants, lane = Math.floor((y - C.AXIS_H) / C.LANE_H);
    return lane >= 0 && lane < R.speakers().length ? lane : -1;
  }
  R.addPointerHandler({
    down: function (ev, p, hit) {
      if (!state.on || ev.button !== 0) return false;
      var lane = laneAt(p.y);
      if (lane < 0 || hit.event != null) return false; // a marker: the report selects it
      var edge = R.edgeAt(p.x, lane, 6);
      if (edge) {
        var s = R.data.segments[edge.segment];
        state.drag = { edge: edge, x: p.x, moved: false,
          preview: { speaker: s.speaker, start_s: s.start_s, end_s: s.end_s, edge: edge.edge },
          from: { speaker: s.speaker, start_s: s.start_s, end_s: s.end_s, edge: edge.edge } };
        return true;
      }
      if (hit.bar == null && hit.event == null) {
        state.drag = { x: p.x, moved: false, add: { speaker: R.speakers()[lane], from: R.xToTime(p.x), to: R.xToTime(p.x) } };
        return true;
      }
      return false;
    },
    move: function (ev, p) {
      var d = state.drag; if (!d) return;
      if (Math.abs(p.x - d.x) > 3) d.moved = true;
      var t = Math.max(0, R.xToTime(p.x));
      if (d.preview) { if (d.preview.edge === "start") d.preview.start_s = t; else d.preview.end_s = t; }
      if (d.add) d.add.to = t;
      R.redraw();
    },
    up: function (ev, p) {
      var d = state.drag; state.drag = null;
      if (!d) return;
      // the click that follows is this gesture's, not a click on the segment under it (which
      // selected the segment as it was before the edit)
      state.gesture = true; setTimeout(function () { state.gesture = false; }, 0);
      var t = ms(Math.max(0, R.xToTime(p.x)));
      if (d.preview && d.moved) {
        state.boundary = { speaker: d.from.speaker, start_s: d.from.start_s, end_s: d.from.end_s, edge: d.from.edge, which: "drag" };
        moveBoundary(state.boundary, t);
      } else if (d.add && d.moved) {
        var a = ms(Math.min(d.add.from, t)), b = ms(Math.max(d.add.from, t));
        send({ op: "add_segment", speaker: d.add.speaker, start_s: a, end_s: b });
      } else if (d.add && R.audio) {
        R.audio.currentTime = Math.max(0, R.xToTime(p.x));
      } else if (d.preview) { // a click on an edge: select that boundary
        state.boundary = { speaker: d.from.speaker, start_s: d.from.start_s, end_s: d.from.end_s, edge: d.from.edge, which: "click" };
        renderPanel();
      }
      R.redraw();
    }
  });
  scroller.addEventListener("pointermove", function (ev) {
    if (!state.on || state.drag) return;
    var rect = $("canvas").getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    var lane = laneAt(y), onMarker = R.hitTest(x, y).event != null;
    scroller.classList.toggle("edge", lane >= 0 && !onMarker && !!R.edgeAt(x, lane, 6));
  });
  scroller.addEventListener("click", function (ev) {
    if (!state.on || state.gesture) return;
    var rect = $("canvas").getBoundingClientRect();
    var hit = R.hitTest(ev.clientX - rect.left, ev.clientY - rect.top);
    if (hit.segment != null && hit.event == null) {
      var s = R.data.segments[hit.segment];
      state.segment = { speaker: s.speaker, start_s: s.start_s, end_s: s.end_s };
      state.speaker = null;
      renderPanel(); R.redraw();
    } else if (hit.event != null) {
      state.segment = null; state.speaker = null; renderPanel();
    }
  });

  // ---------------------------------------------------------------- the keyboard
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" ||
      target.isContentEditable);
  }
  /* Space activates a focused button, link, summary or checkbox (its own meaning wins). */
  function activates(target) {
    return target && target.closest && !!target.closest(
      "button, a[href], summary, input, select, textarea, label, [role=button], [role=link], " +
      "[role=checkbox], [role=menuitem], [role=tab], [contenteditable]");
  }
  R.addKeyHandler(function (ev) {
    if ($("keys-dialog").open || typing(ev.target)) return false;
    if (ev.key === " " && activates(ev.target)) return false;
    var key = ev.key, mod = ev.ctrlKey || ev.metaKey;
    if (key === "?") { $("keys-dialog").showModal(); return true; }
    if (!state.on) return false;
    if (mod && (key === "z" || key === "Z")) { send({ op: ev.shiftKey ? "redo" : "undo" }); return true; }
    if (mod && key === "y") { send({ op: "redo" }); return true; }
    if (mod || ev.altKey) return false;
    switch (key) {
      case "j": step(1); return true;
      case "k": step(-1); return true;
      case " ": play(); return true;
      case "c": verdict("confirmed"); return true;
      case "x": verdict("rejected"); return true;
      case "b": switchBoundary(); return true;
      case "[": nudge(-NUDGE_S); return true;
      case "]": nudge(NUDGE_S); return true;
      case "{": nudge(-10 * NUDGE_S); return true;
      case "}": nudge(10 * NUDGE_S); return true;
      case "s": splitAtPlayhead(); return true;
      case "Delete": case "Backspace": deleteSegment(); return true; // (a Mac's delete key)
      case "a": addAtPlayhead(); return true;
      case "z": send({ op: "undo" }); return true;
      case "Z": send({ op: "redo" }); return true;
      case "Escape": state.segment = null; state.speaker = null; renderPanel(); R.redraw(); return true;
      default: return false;
    }
  });

  updateBar();
  var saved = null;
  try { saved = localStorage.getItem("talkover-review"); } catch (e) { /* private mode */ }
  if (/[?&]review=1/.test(location.search) || saved === "1") setMode(true);

  window.talkoverReview = {
    state: state, send: send, step: step, verdict: verdict, nudge: nudge, setMode: setMode,
    done: function () { return queue; }
  };
})();
