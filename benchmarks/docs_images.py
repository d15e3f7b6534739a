"""Remake the pictures in the docs: docs/report.png (the static report of the bundled sample
call), docs/figure.png (its static figure) and docs/web-review.png (the app's review mode on
the same call).

    PYTHONPATH=src python benchmarks/docs_images.py

Needs /usr/bin/chromium. The review shows the sample's reference RTTM uploaded with its
recording and named, one event confirmed, one rejected, the next event of the queue selected
with its boundary, and the changes listed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from talkover.analysis import analyze_timeline
from talkover.formats import read_annotation
from talkover.report.html import write_html_report

ROOT = Path(__file__).resolve().parents[1]
RTTM = ROOT / "data" / "samples" / "pyannote_sample_call.rttm"
FLAC = ROOT / "data" / "samples" / "pyannote_sample_call.flac"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def report_png(browser, folder: Path) -> None:
    analysis = analyze_timeline(read_annotation(RTTM), input_path="data/samples/"
                                "pyannote_sample_call.rttm", media_path=str(FLAC))
    page_path = folder / "report.html"
    write_html_report(analysis, page_path)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(page_path.as_uri())
    page.wait_for_function("() => window.talkoverReport")
    page.evaluate("""() => { const i = talkoverReport.data.events.findIndex(
        e => e.type === 'interruption'); talkoverReport.select(i);
        const a = document.getElementById('audio'); a.currentTime = 16.1; }""")
    page.wait_for_timeout(400)
    page.screenshot(path=str(ROOT / "docs" / "report.png"))
    page.close()
    from talkover.report.figure import write_timeline_figure

    write_timeline_figure(analysis, ROOT / "docs" / "figure.png")


def review_png(browser, folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.web.server import Server, wait_done

    server = Server(folder / "store").start()
    try:
        with server.client() as client:
            res = client.post("/api/recordings", files={
                "file": ("pyannote_sample_call.rttm", RTTM.read_bytes()),
                "media": ("pyannote_sample_call.flac", FLAC.read_bytes())},
                data={"speakers": "Diane, Sheila"})
            uri = res.json()["id"]
            wait_done(client, uri)
        page = browser.new_page(viewport={"width": 1180, "height": 760})
        page.goto(f"{server.url}/recordings/{uri}")
        page.wait_for_function("() => window.talkoverReview")
        page.click("#review-toggle")
        page.keyboard.press("j")  # the first event of the queue
        page.keyboard.press("c")
        page.keyboard.press("j")
        page.keyboard.press("x")
        page.evaluate("talkoverReview.done()")
        page.keyboard.press("j")
        page.keyboard.press("j")
        page.click("#rv-changes")
        page.wait_for_selector("#changes li")
        time.sleep(0.3)
        out = ROOT / "docs" / "web-review.png"
        page.screenshot(path=str(out))
        image = Image.open(out).convert("RGB")
        image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        image.save(out, optimize=True)
        page.close()
    finally:
        server.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        report_png(browser, Path(tmp))
        review_png(browser, Path(tmp))
        browser.close()
    for name in ("report.png", "figure.png", "web-review.png"):
        print(name, (ROOT / "docs" / name).stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
