"""``talkover serve`` timed: upload to report, and the review's recomputation through the API.

1. Starts ``talkover serve`` on a fresh store (one worker process).
2. Uploads the bundled 30 s sample call twice (the first job loads the models in the worker:
   cold; the second: warm) and a 10-minute recording made at run time by concatenating the
   shared real recordings (``$TALKOVER_SHARED_REAL`` or ../shared/bench/real; not kept), and
   times each from the start of the upload to: the upload answered (201), the job done (as a
   page polling every 0.1 s sees it), the report page served, and the page interactive in
   headless Chromium (when /usr/bin/chromium is there).
3. Uploads the planted one-hour meeting of benchmarks/review.py (6 speakers, ~2,000 events) as
   RTTM and sends random corrections (verdicts, boundary nudges, splits, deletions, additions,
   undo) through ``POST /api/recordings/{id}/edits``, timing each round trip and the server's
   own ``Server-Timing`` (recompute: apply + analyze_timeline; payload: the page's data).

    PYTHONPATH=src python benchmarks/web.py [--edits 100] [--out DIR]

Prints one JSON object; docs/web.md quotes it. Nothing is committed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "pyannote_sample_call.flac"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def shared_real() -> Path:
    env = os.environ.get("TALKOVER_SHARED_REAL")
    return Path(env) if env else ROOT.parent / "shared" / "bench" / "real"


def ten_minutes(out: Path, seconds: float = 600.0) -> Path:
    """Real recordings end to end (cycling) until ``seconds``: a 16 kHz mono WAV."""
    from talkover.io.decode import decode_audio

    cases = sorted(p for p in shared_real().glob("*/*.wav"))
    if not cases:
        raise SystemExit(f"no shared real recordings in {shared_real()}")
    parts, total, i = [], 0, 0
    while total < seconds * 16_000:
        samples = decode_audio(cases[i % len(cases)]).samples
        parts.append(samples)
        total += len(samples)
        i += 1
    audio = np.concatenate(parts)[: int(seconds * 16_000)]
    with wave.open(str(out), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(16_000)
        fh.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return out


class Serve:
    def __init__(self, store: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.log = open(store.parent / "serve.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "talkover", "serve", "--data", str(store),
             "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(base_url=self.url, timeout=600.0)
        for _ in range(600):
            try:
                self.client.get("/favicon.ico")
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        self.client.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def upload_to_report(serve: Serve, path: Path, browser) -> dict:
    t0 = time.perf_counter()
    res = serve.client.post("/api/recordings", files={"file": (path.name, path.read_bytes())})
    uri = res.json()["id"]
    t_upload = time.perf_counter()
    while True:
        status = serve.client.get(f"/api/recordings/{uri}").json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    t_done = time.perf_counter()
    if status["status"] != "done":
        raise SystemExit(f"{path.name}: {status['error']}")
    page = serve.client.get(f"/recordings/{uri}")
    t_page = time.perf_counter()
    row = {"file": path.name, "duration_s": status["duration_s"],
           "events": sum((status["counts"] or {}).values()), "size_mb": path.stat().st_size / 1e6,
           "upload_s": round(t_upload - t0, 2), "analysed_s": round(t_done - t0, 2),
           "page_served_s": round(t_page - t0, 2), "page_bytes": len(page.content)}
    if browser is not None:
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.goto(f"{serve.url}/recordings/{uri}")
        tab.wait_for_function("() => window.talkoverReview && document.getElementById('audio')"
                              " && document.getElementById('audio').readyState >= 1")
        row["interactive_s"] = round(time.perf_counter() - t0, 2)
        tab.close()
    return row


def edit_latency(serve: Serve, folder: Path, edits: int, seed: int = 3) -> dict:
    from review import plant_meeting
    from talkover.formats.rttm import write_rttm

    timeline = plant_meeting(seed)
    rttm = folder / "meeting_hour.rttm"
    write_rttm(timeline, rttm)
    uri = serve.client.post("/api/recordings", files={"file": (rttm.name, rttm.read_bytes())}
                            ).json()["id"]
    while serve.client.get(f"/api/recordings/{uri}").json()["status"] not in ("done", "failed"):
        time.sleep(0.2)
    t = time.perf_counter()
    data = serve.client.get(f"/api/recordings/{uri}/review").json()
    open_s = time.perf_counter() - t
    rng = random.Random(seed)
    rounds, recompute, payload, sizes = [], [], [], []
    for _ in range(edits):
        edit = _random_edit(data, rng)
        t = time.perf_counter()
        res = serve.client.post(f"/api/recordings/{uri}/edits", json=edit)
        elapsed = time.perf_counter() - t
        if res.status_code != 200:
            continue
        data = res.json()
        rounds.append(elapsed * 1000)
        timing = dict(part.strip().split(";dur=") for part in
                      res.headers["server-timing"].split(","))
        recompute.append(float(timing["recompute"]))
        payload.append(float(timing["payload"]))
        sizes.append(len(res.content))

    def stats(xs: list[float]) -> dict:
        return {"median": round(statistics.median(xs), 1),
                "p95": round(statistics.quantiles(xs, n=20)[18], 1), "max": round(max(xs), 1)}

    return {"segments": len(timeline), "events": len(data["events"]), "edits": len(rounds),
            "first_open_s": round(open_s, 2), "round_trip_ms": stats(rounds),
            "recompute_ms": stats(recompute), "payload_ms": stats(payload),
            "answer_mb": round(statistics.median(sizes) / 1e6, 2)}


def _random_edit(data: dict, rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.45:
        e = rng.choice(data["events"])
        return {"op": "set_verdict", "verdict": rng.choice(["confirmed", "rejected"]),
                "event": {k: e[k] for k in ("type", "by", "of", "start_s")}}
    s = rng.choice([s for s in data["segments"] if s["end_s"] - s["start_s"] > 0.5])
    ref = {k: s[k] for k in ("speaker", "start_s", "end_s")}
    if roll < 0.75:
        edge = rng.choice(["start", "end"])
        return {"op": "move_boundary", "segment": ref, "edge": edge,
                "to_s": round(max(0.0, s[f"{edge}_s"] + rng.choice([-0.05, 0.05])), 3)}
    if roll < 0.85:
        return {"op": "split_segment", "segment": ref,
                "at_s": round((s["start_s"] + s["end_s"]) / 2, 3)}
    if roll < 0.92:
        return {"op": "delete_segment", "segment": ref}
    if roll < 0.97:
        start = rng.uniform(0, 3590)
        return {"op": "add_segment", "speaker": s["speaker"], "start_s": round(start, 3),
                "end_s": round(start + 0.6, 3)}
    return {"op": "undo"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--out", type=Path, default=None, help="work folder (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="talkover-web-bench-") as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        long = ten_minutes(folder / "ten_minutes.wav")
        serve = Serve(folder / "store")
        pw = browser = None
        try:
            if Path("/usr/bin/chromium").exists():
                from playwright.sync_api import sync_playwright

                pw = sync_playwright().start()
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
            runs = [dict(upload_to_report(serve, SAMPLE, browser), run="cold (models load)"),
                    dict(upload_to_report(serve, SAMPLE, browser), run="warm"),
                    dict(upload_to_report(serve, long, browser), run="warm")]
            hour = edit_latency(serve, folder, args.edits)
        finally:
            if browser is not None:
                browser.close()
                pw.stop()
            serve.stop()
    print(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores, python "
                                 f"{platform.python_version()}",
                      "upload_to_report": runs, "hour_review_api": hour}, indent=2))


if __name__ == "__main__":
    main()
