"""How the HTML report copes with a one-hour meeting: file size, write time, browser timings.

Plants ~1500 events among 6 speakers over an hour with :class:`TimelineBuilder`, synthesizes an
hour of speech-like audio to match (band-limited noise with a syllable-rate envelope, each
speaker a different spectral tilt; harder for Opus than tones), writes the report with the
audio embedded, then opens it in headless Chromium and times loading, drawing the whole hour,
drawing while zoomed in and scrolling, and filtering the event list.

    PYTHONPATH=src python benchmarks/report_hour.py [--out DIR]

Needs /usr/bin/chromium. The audio is written to DIR (default: a temporary folder) and
removed afterwards; nothing is committed.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from talkover.analysis import analyze_timeline
from talkover.report.html import write_html_report
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline

SPEAKERS = ("Ana", "Ben", "Chen", "Dee", "Eli", "Fay")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def plant_hour(seed: int = 7, hour_s: float = 3600.0) -> SpeakerTimeline:
    rng = random.Random(seed)
    b = TimelineBuilder()
    b.speak("Ana", 6.0)
    while b.floor_end_s < hour_s - 20:
        others = [s for s in SPEAKERS if s != b.holder]
        who = rng.choice(others)
        kind = rng.random()
        try:
            if kind < 0.30:
                b.speak(who, rng.uniform(1.2, 3.5), gap_s=rng.uniform(0.2, 1.0))
            elif kind < 0.55:
                b.backchannel(who, at_s=rng.uniform(0.4, 1.2), duration_s=rng.uniform(0.2, 0.9))
            elif kind < 0.72:
                b.interruption(who, overlap_s=rng.uniform(0.6, 1.2), duration_s=rng.uniform(2, 4))
            elif kind < 0.82:
                b.failed_interruption(who, at_s=rng.uniform(0.3, 0.6), duration_s=1.2)
            elif kind < 0.94:
                b.overlap(who, overlap_s=rng.uniform(0.1, 0.45), duration_s=rng.uniform(2, 4))
            else:
                b.speak(b.holder, rng.uniform(1.5, 4.0), gap_s=rng.uniform(0.4, 1.0))
        except ValueError:
            b.speak(who, rng.uniform(1.5, 4.0), gap_s=0.6)
    return SpeakerTimeline(tuple(b.segments), duration_s=hour_s, uri="synthetic_hour")


def synthesize(timeline: SpeakerTimeline, path: Path, *, rate_hz: int = 16_000) -> None:
    """Speech-like audio: per speaker, coloured noise under a 4 Hz syllable envelope."""
    rng = np.random.default_rng(0)
    n = int(timeline.end_s * rate_hz)
    out = np.zeros(n, dtype=np.float32)
    for i, speaker in enumerate(timeline.speakers):
        for span in timeline.speech_of(speaker):
            a, z = int(span.start_s * rate_hz), min(n, int(span.end_s * rate_hz))
            t = np.arange(z - a) / rate_hz
            noise = rng.standard_normal(z - a).astype(np.float32)
            k = 2 + i  # a different smoothing per speaker: a different spectral tilt
            noise = np.convolve(noise, np.ones(k, dtype=np.float32) / k, mode="same")
            voiced = 0.3 * np.sin(2 * np.pi * (110 + 25 * i) * t * (1 + 0.05 * np.sin(3 * t)))
            env = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * t + i) ** 2
            out[a:z] += (0.25 * noise + voiced.astype(np.float32)) * env.astype(np.float32)
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(rate_hz)
        fh.writeframes((np.clip(out, -1, 1) * 32767).astype("<i2").tobytes())


BROWSER_JS = """async () => {
  const r = window.talkoverReport, out = {};
  const time = (fn, n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t) / n;
  };
  r.zoom(0);  // fit: the whole hour
  out.fit_draw_ms = time(() => r.stats(), 20);
  out.fit_stats = r.stats();
  r.zoom(20);  // 20 px per second: about a minute on screen
  const sc = document.getElementById('scroller');
  let k = 0;
  out.scroll_draw_ms = time(() => {
    sc.scrollLeft = (k++ * 997) % sc.scrollWidth; r.stats();
  }, 200);
  out.zoomed_stats = r.stats();
  const sel = document.getElementById('filter-type');
  const a = document.getElementById('audio'), t0 = performance.now();
  a.currentTime = 3000;
  await new Promise(res => a.addEventListener('seeked', res, {once: true}));
  out.seek_to_50min_ms = performance.now() - t0;
  out.filter_ms = time(() => {
    sel.value = k++ % 2 ? 'interruption' : 'all'; sel.dispatchEvent(new Event('change'));
  }, 10);
  return out;
}"""


def browse(report: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        t = time.perf_counter()
        page.goto(report.as_uri())
        page.wait_for_function("window.talkoverReport !== undefined")
        load_s = time.perf_counter() - t
        page.wait_for_function("document.getElementById('audio').readyState >= 1", timeout=60_000)
        audio_ready_s = time.perf_counter() - t
        result = page.evaluate(BROWSER_JS)
        browser.close()
    return {"load_s": round(load_s, 2), "audio_metadata_s": round(audio_ready_s, 2), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        timeline = plant_hour()
        wav = out / "synthetic_hour.wav"
        synthesize(timeline, wav)
        analysis = analyze_timeline(timeline, input_path="synthetic_hour.rttm", media_path=str(wav))
        counts: dict[str, int] = {}
        for e in analysis.events:
            counts[e.type] = counts.get(e.type, 0) + 1
        report = out / "synthetic_hour.html"
        t = time.perf_counter()
        write_html_report(analysis, report)
        write_s = time.perf_counter() - t
        linked = out / "synthetic_hour_linked.html"
        write_html_report(analysis, linked, link_media=True)
        result = {
            "segments": len(timeline), "events": len(analysis.events), "by_type": counts,
            "wav_mb": round(wav.stat().st_size / 1e6, 1),
            "report_mb": round(report.stat().st_size / 1e6, 2),
            "report_linked_mb": round(linked.stat().st_size / 1e6, 3),
            "write_s": round(write_s, 1),
            "browser": browse(report),
        }
        wav.unlink()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
