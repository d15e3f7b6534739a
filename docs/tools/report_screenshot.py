"""Render docs/report.png: the report of the bundled sample call in headless Chromium.

    PYTHONPATH=src python docs/tools/report_screenshot.py [--media WAV] [--out docs/report.png]

``--media`` is the sample call's recording (the shared benchmark copy by default); the report
is written to a temporary folder, only the screenshot is kept.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from talkover.analysis import analyze_timeline
from talkover.formats import read_annotation
from talkover.report.html import write_html_report

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "data/samples/pyannote_sample_call.rttm"
MEDIA = REPO.parent / "shared/bench/real/pyannote_sample_call/pyannote_sample_call.wav"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=Path, default=MEDIA)
    parser.add_argument("--out", type=Path, default=REPO / "docs/report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    analysis = analyze_timeline(
        read_annotation(REPO / SAMPLE), input_path=SAMPLE,
        media_path=str(args.media) if args.media.is_file() else None,
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        report = Path(tmp) / "sample_call.html"
        write_html_report(analysis, report)
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(report.as_uri())
        page.wait_for_function("window.talkoverReport !== undefined")
        # select the first interruption, as a reader would: the status line and playhead show
        first = next(i for i, e in enumerate(analysis.events) if e.type == "interruption")
        page.evaluate(f"talkoverReport.select({first})")
        page.evaluate("(() => { const a = document.getElementById('audio');"
                      f" if (a) a.currentTime = {analysis.events[first].start_s - 2.0}; }})()")
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out), full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
