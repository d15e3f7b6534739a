/* talkover home: the drop zone and the history. Calls only the JSON API (docs/web.md). */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var ANNOTATION = /\.(rttm|textgrid|eaf|cha|vtt|srt|csv|json)$/i;
  var recordings = [];
  var rowsById = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }
  function fmtDuration(s) {
    if (s == null) return "–";
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function fmtDate(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  // ---------------------------------------------------------------- uploads
  /* Files dropped together: an annotation and a recording with the same name travel as one
   * upload (the recording is played with the annotation). The server decides what each is. */
  function group(files) {
    var stems = {}, out = [];
    Array.prototype.forEach.call(files, function (f) {
      var stem = f.name.replace(/\.[^.]*$/, "").toLowerCase(); // (CALL.rttm goes with call.wav)
      (stems[stem] = stems[stem] || []).push(f);
    });
    Object.keys(stems).forEach(function (stem) {
      var list = stems[stem];
      var notes = list.filter(function (f) { return ANNOTATION.test(f.name); });
      var media = list.filter(function (f) { return !ANNOTATION.test(f.name); });
      if (notes.length === 1 && media.length === 1) { out.push({ file: notes[0], media: media[0] }); return; }
      list.forEach(function (f) { out.push({ file: f }); });
    });
    return out;
  }
  function uploadAll(files) {
    group(files).forEach(upload);
  }
  function upload(item) {
    var li = el("li"), name = el("span", null, item.file.name + (item.media ? " + " + item.media.name : ""));
    var bar = el("div", { "class": "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
      "aria-label": "Uploading " + item.file.name });
    var fill = el("span"); bar.appendChild(fill);
    var state = el("span", { "class": "count" }, "uploading");
    li.appendChild(name); li.appendChild(bar); li.appendChild(state);
    $("uploads").appendChild(li);
    var form = new FormData();
    form.append("file", item.file, item.file.name);
    if (item.media) form.append("media", item.media, item.media.name);
    var speakers = $("speakers").value.trim(), count = $("num-speakers").value.trim();
    if (speakers) form.append("speakers", speakers);
    if (count) form.append("num_speakers", count);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/recordings");
    xhr.upload.onprogress = function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round(100 * ev.loaded / ev.total);
      fill.style.width = pct + "%"; bar.setAttribute("aria-valuenow", String(pct));
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201) {
        state.textContent = "queued as " + body.id;
        fill.style.width = "100%";
        setTimeout(function () { li.remove(); }, 4000);
        refresh();
      } else {
        state.className = "error";
        state.textContent = "refused (" + xhr.status + "): " + (body.error || xhr.statusText);
      }
    };
    xhr.onerror = function () { state.className = "error"; state.textContent = "upload failed (connection)"; };
    xhr.send(form);
  }
  var drop = $("drop"), input = $("file-input");
  drop.addEventListener("dragover", function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (ev) {
    ev.preventDefault(); drop.classList.remove("over");
    if (ev.dataTransfer && ev.dataTransfer.files.length) uploadAll(ev.dataTransfer.files);
  });
  drop.addEventListener("click", function (ev) { if (ev.target === drop || ev.target.tagName === "P") input.click(); });
  drop.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); input.click(); }
  });
  input.addEventListener("change", function () { if (input.files.length) uploadAll(input.files); input.value = ""; });

  // ---------------------------------------------------------------- history
  function refresh() {
    return fetch("/api/recordings", { headers: { Accept: "application/json" } })
      .then(function (res) { return res.json(); })
      .then(function (list) { recordings = list; render(); schedulePoll(); });
  }
  function render() {
    var query = $("search").value.trim().toLowerCase();
    var tbody = document.querySelector("#history tbody");
    tbody.innerHTML = ""; rowsById = {};
    var shown = recordings.filter(function (r) {
      return !query || r.id.toLowerCase().indexOf(query) >= 0 ||
        (r.speaker_names || []).join(" ").toLowerCase().indexOf(query) >= 0;
    });
    shown.forEach(function (r) { tbody.appendChild(row(r)); });
    $("empty").hidden = recordings.length > 0;
    $("history-count").textContent = shown.length === recordings.length
      ? recordings.length + " recording" + (recordings.length === 1 ? "" : "s")
      : "Showing " + shown.length + " of " + recordings.length;
  }
  function row(r) {
    var tr = el("tr", { "data-id": r.id, "data-status": r.status });
    var name = el("td", { "class": "name", title: r.id });
    var link = el("a", { href: "/recordings/" + encodeURIComponent(r.id) }, r.id);
    name.appendChild(link);
    if (r.same_file_as) {
      name.appendChild(el("span", { "class": "failure same", title: "The same file was uploaded before" },
        "same file as " + r.same_file_as));
    }
    tr.appendChild(name);
    var status = el("td", { "class": "status" });
    status.appendChild(el("span", { "class": "badge " + r.status }, r.status));
    if (r.reviewed) status.appendChild(el("span", { "class": "badge reviewed", title: "counts corrected by a review" }, "reviewed"));
    if (r.status === "running" || r.status === "queued") {
      var bar = el("div", { "class": "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": String(Math.round(100 * r.progress)), "aria-label": r.id + " progress" });
      var fill = el("span"); fill.style.width = Math.round(100 * r.progress) + "%";
      bar.appendChild(fill); status.appendChild(bar);
    }
    if (r.status === "failed" && r.error) status.appendChild(el("span", { "class": "failure" }, r.error));
    (r.warnings || []).forEach(function (w) {
      status.appendChild(el("span", { "class": "failure warning", title: "the analysis warned of this" }, "warning: " + w));
    });
    tr.appendChild(status);
    var c = r.counts || {};
    [fmtDuration(r.duration_s), r.speakers == null ? "–" : String(r.speakers),
     num(c.interruption), num(c.failed_interruption), num(c.backchannel), num(c.overlap),
     fmtDate(r.created_at)].forEach(function (v) { tr.appendChild(el("td", null, v)); });
    var actions = el("td");
    var del = el("button", { type: "button", "aria-label": "Delete " + r.id }, "Delete");
    var busy = r.status === "queued" || r.status === "running";
    if (busy) del.title = "Stops its analysis, then deletes it";
    del.addEventListener("click", function () { remove(r.id, busy); });
    actions.appendChild(del);
    tr.appendChild(actions);
    rowsById[r.id] = tr;
    return tr;
  }
  function num(n) { return n == null ? "–" : String(n); }
  function remove(id, busy) {
    var what = busy ? "Stop analysing " + id + " and delete it?" : "Delete " + id + ", its analysis and its review?";
    if (!window.confirm(what)) return;
    fetch("/api/recordings/" + encodeURIComponent(id), { method: "DELETE" }).then(function (res) {
      if (res.status !== 204) return res.json().then(function (b) { window.alert(b.error || res.statusText); });
    }).then(refresh);
  }
  $("search").addEventListener("input", render);

  // ---------------------------------------------------------------- live progress
  /* Server-sent events carry each job update as it happens; a page that cannot hold the
   * connection polls every second while something is queued or running. */
  var pollTimer = null, live = false;
  function update(m) {
    var r = recordings.filter(function (x) { return x.id === m.id; })[0];
    if (!r) { refresh(); return; }
    var finished = (m.status === "done" || m.status === "failed") && r.status !== m.status;
    r.status = m.status; r.progress = m.progress; if ("error" in m) r.error = m.error;
    if (finished) { refresh(); return; }
    var old = rowsById[m.id];
    if (old) old.replaceWith(row(r));
  }
  function schedulePoll() {
    if (live || pollTimer) return;
    var busy = recordings.some(function (r) { return r.status === "queued" || r.status === "running"; });
    if (busy) pollTimer = setTimeout(function () { pollTimer = null; refresh(); }, 1000);
  }
  if (window.EventSource) {
    var es = new EventSource("/api/events");
    es.onopen = function () { live = true; refresh(); };
    es.onmessage = function (ev) { update(JSON.parse(ev.data)); };
    es.onerror = function () { live = false; schedulePoll(); };
  }
  refresh();
  window.talkoverHome = { refresh: refresh, recordings: function () { return recordings; } };
})();
