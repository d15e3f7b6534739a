"""The terminal-view picture in docs/live.md: a synthetic conversation of real voices replayed
through ``talkover live``'s path with enrolled names, the view captured 1 s after an alert about
"you", rendered by rich to SVG and by headless Chromium to PNG.

    python benchmarks/live_screenshot.py [--bank ../shared/bench/real] [--out docs/live.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from rich.console import Console

from talkover.diarize import Diarizer
from talkover.io import Waveform
from talkover.live.session import run_session
from talkover.live.source import FileSource
from talkover.live.stream import StreamingDiarizer
from talkover.live.tracker import Alert, FloorTracker
from talkover.live.view import render_snapshot
from talkover.testing import SHARED_REAL
from talkover.testing.synth import build_conversation
from talkover.testing.voices import load_voice_bank
from talkover.voices import VoiceEmbedder, enroll_voice

NAMES = ("Hilaria", "Alec", "Mo")
ME = "Mo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bank", type=Path, default=SHARED_REAL)
    parser.add_argument("--out", type=Path, default=Path("docs/live.png"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--duration", type=float, default=50.0)
    args = parser.parse_args(argv)
    bank = load_voice_bank(args.bank)
    conv = build_conversation(bank, seed=args.seed, num_speakers=3, duration_s=args.duration)
    diarizer = Diarizer()
    embedder = VoiceEmbedder(diarizer.embedding_model)
    used = {p.clip.source for p in conv.placements}
    names = dict(zip(conv.timeline.speakers, NAMES, strict=False))
    profiles = []
    for voice, name in names.items():
        clips = ([c for c in bank.voice(voice).clips if c.source not in used]
                 or list(bank.voice(voice).clips))[-8:]
        clip = Waveform(np.concatenate([c.samples for c in clips]))
        profiles.append(enroll_voice(name, clip, embedder=embedder))
    pipeline = StreamingDiarizer(diarizer, profiles=profiles)
    tracker = FloorTracker(smoothing=pipeline.smoothing, watch=ME)
    capture: dict = {}

    class Capture:
        """Keeps the view 1 s after the first alert (past the first 20 s, lanes filled)."""

        def on_update(self, update) -> None:
            if "at" not in capture and update.t_s > 20 and any(
                    isinstance(d, Alert) and ME in (d.by, d.over) for d in update.decisions):
                capture["at"] = update.t_s + 1.0
            if "at" in capture and "snapshot" not in capture and update.t_s >= capture["at"]:
                capture["snapshot"] = update.snapshot

    run_session(FileSource(conv.samples[None, :], speed=0), pipeline, tracker,
                observers=[Capture()])
    snapshot = capture.get("snapshot", tracker.snapshot())
    console = Console(record=True, width=100)
    console.print(render_snapshot(snapshot))
    with tempfile.TemporaryDirectory() as tmp:
        svg = Path(tmp) / "live.svg"
        console.save_svg(str(svg), title="talkover live")
        html = Path(tmp) / "live.html"
        html.write_text(f"<html><body style='margin:0;background:#fff'>{svg.read_text()}"
                        "</body></html>", encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--hide-scrollbars",
                        f"--screenshot={args.out.resolve()}", "--window-size=1040,270",
                        html.as_uri()], check=True, capture_output=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
