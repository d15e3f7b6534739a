"""The HTML report in a real browser: Debian's Chromium driven by Playwright.

Run by ``make test`` (which installs ``chromium`` with apt-get when it is missing); skipped
with a reason when no Chromium is installed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from talkover.analysis import Analysis
from talkover.report.html import write_html_report
from talkover.report.text import plain_language_summary

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (make test installs it with apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_report(browser, analysis: Analysis, tmp_path: Path, *, width=1280, height=800):
    path = tmp_path / "report.html"
    write_html_report(analysis, path)
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "window.talkoverReport && (!document.getElementById('audio') "
        "|| document.getElementById('audio').readyState >= 1)"
    )
    return page, errors


def audio_time(page) -> float:
    return page.evaluate("(() => { const a = document.getElementById('audio'); a.pause(); "
                         "return a.currentTime; })()")


def test_lanes_and_markers_match_the_analysis(browser, analysis_with_audio, tmp_path) -> None:
    page, errors = open_report(browser, analysis_with_audio, tmp_path)
    data = page.evaluate("talkoverReport.data")
    speakers = [s.speaker for s in analysis_with_audio.speakers]
    lanes = page.locator(".lane-label")
    assert lanes.count() == len(speakers) == len(data["speakers"])
    assert [lanes.nth(i).get_attribute("data-speaker") for i in range(lanes.count())] == speakers
    stats = page.evaluate("talkoverReport.stats()")  # whole recording in view after load
    assert stats["segments"] == len(data["segments"]) == len(analysis_with_audio.timeline)
    assert stats["overlaps"] == len(analysis_with_audio.timeline.overlap_spans())
    expected = Counter(e.type for e in analysis_with_audio.events)
    assert {k: v for k, v in stats["markers"].items() if v} == dict(expected)
    assert page.locator("#event-list button").count() == len(analysis_with_audio.events)
    page.uncheck("#show-switches")
    assert page.evaluate("talkoverReport.stats()")["markers"]["switch"] == 0
    summary = page.locator(".summary li").all_inner_texts()
    assert summary == plain_language_summary(analysis_with_audio)
    page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)
    assert (tmp_path / "report-1280.png").stat().st_size > 10_000
    assert errors == []


def test_clicking_an_event_plays_from_two_seconds_before(browser, planted_analysis, tmp_path):
    page, errors = open_report(browser, planted_analysis, tmp_path)
    events = planted_analysis.events
    i = next(k for k, e in enumerate(events) if e.type == "interruption" and e.start_s > 3)
    event = events[i]
    # the marker on the canvas: its onset, near the top of the lane of the one who acts
    box = page.locator("#canvas").bounding_box()
    x = page.evaluate(f"talkoverReport.timeToX({event.start_s})")
    y = page.evaluate(f"talkoverReport.laneY({event.by!r})") - 12
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert audio_time(page) == pytest.approx(event.start_s - 2.0, abs=0.35)
    assert "interruption" in page.locator("#status").inner_text()
    assert page.locator(f'#event-list button[data-index="{i}"]').get_attribute("aria-current")
    # a row of the event list does the same
    j = next(k for k, e in enumerate(events) if e.type == "failed_interruption")
    page.locator(f'#event-list button[data-index="{j}"]').click()
    assert audio_time(page) == pytest.approx(events[j].start_s - 2.0, abs=0.35)
    # a speech bar plays from 2 s before the moment clicked
    seg = max(planted_analysis.timeline, key=lambda s: s.duration_s)
    mid = (seg.start_s + seg.end_s) / 2
    x = page.evaluate(f"talkoverReport.timeToX({mid})")
    y = page.evaluate(f"talkoverReport.laneY({seg.speaker!r})") + 8
    page.locator("#canvas").scroll_into_view_if_needed()
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    clicked = page.evaluate(f"talkoverReport.view().start_s + {x} / talkoverReport.view().pps")
    assert audio_time(page) == pytest.approx(clicked - 2.0, abs=0.35)
    assert errors == []


def test_playhead_follows_playback(browser, planted_analysis, tmp_path) -> None:
    page, _ = open_report(browser, planted_analysis, tmp_path)
    page.evaluate("(() => { const a = document.getElementById('audio'); a.muted = true; "
                  "a.currentTime = 5; return a.play(); })()")
    page.wait_for_function("document.getElementById('audio').currentTime > 5.3")
    clock = page.locator("#clock").inner_text()
    assert clock.startswith("0:05") and clock.endswith(" / 0:34.5")
    assert page.locator("#play").get_attribute("aria-label") == "Pause"


def test_event_list_filters_by_type_and_speaker(browser, planted_analysis, tmp_path) -> None:
    page, _ = open_report(browser, planted_analysis, tmp_path)
    events = planted_analysis.events
    page.select_option("#filter-type", "interruption")
    rows = page.locator("#event-list button")
    assert rows.count() == sum(e.type == "interruption" for e in events)
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.type)")) == {"interruption"}
    page.select_option("#filter-speaker", "Cy")
    expected = [e for e in events if e.type == "interruption" and "Cy" in (e.by, e.of)]
    assert rows.count() == len(expected) >= 1
    count = page.locator("#event-count").inner_text()
    assert count == f"Showing {len(expected)} of {len(events)} events"
    # jumping: zoom in, pick the last interruption, the timeline scrolls to show it
    page.select_option("#filter-speaker", "all")
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.click("#zoom-in")
    last = max(i for i, e in enumerate(events) if e.type == "interruption")
    page.locator(f'#event-list button[data-index="{last}"]').click()
    view = page.evaluate("talkoverReport.view()")
    assert view["pps"] == pytest.approx(8 * view["fit_pps"], rel=0.01)
    end = view["start_s"] + view["width"] / view["pps"]
    assert view["start_s"] < events[last].start_s < end


def test_keyboard_tab_to_events_and_enter_plays(browser, planted_analysis, tmp_path) -> None:
    page, _ = open_report(browser, planted_analysis, tmp_path)
    events = planted_analysis.events
    page.locator('#event-list button[data-index="0"]').focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.index")
    assert focused == "1"
    page.keyboard.press("Enter")
    assert audio_time(page) == pytest.approx(max(0.0, events[1].start_s - 2.0), abs=0.35)
    # the timeline itself: arrows walk the events from the selected one (1), Enter plays
    page.locator("#scroller").focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight"):
        page.keyboard.press(key)
    assert page.locator("#status").inner_text().startswith("0:15.9 switch: Ann took the turn")
    page.keyboard.press("Enter")
    assert audio_time(page) == pytest.approx(events[4].start_s - 2.0, abs=0.35)
    page.keyboard.press("+")
    view = page.evaluate("talkoverReport.view()")
    assert view["pps"] == pytest.approx(1.5 * view["fit_pps"], rel=0.01)
    names = page.locator("button, select, input, [tabindex='0']").evaluate_all(
        "els => els.filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() "
        "|| e.labels && e.labels.length)).length"
    )
    assert names == 0  # every control has an accessible name


def test_zoom_with_ctrl_wheel_and_sort_table(browser, planted_analysis, tmp_path) -> None:
    page, _ = open_report(browser, planted_analysis, tmp_path)
    box = page.locator("#canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function("talkoverReport.view().pps > 2 * talkoverReport.view().fit_pps")
    page.locator("#speaker-table button[data-key=turns]").click()
    turns = page.locator("#speaker-table tbody tr td:nth-child(4)").all_inner_texts()
    expected = sorted((s.turns for s in planted_analysis.speakers), reverse=True)
    assert [int(t) for t in turns] == expected
    assert page.locator("#speaker-table th[aria-sort=descending] button").inner_text() == "Turns"
    page.select_option("#matrix-type", "interruption")
    cell = page.locator('#matrix td[aria-label="Cy over Ann: 1"]')
    assert cell.inner_text() == "1"


def test_phone_width(browser, planted_analysis, tmp_path) -> None:
    page, errors = open_report(browser, planted_analysis, tmp_path, width=390, height=844)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator("#canvas").bounding_box()["width"] > 250
    page.screenshot(path=str(tmp_path / "report-390.png"), full_page=True)
    assert errors == []


CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  const sel = "h1, h2, p, li, th, td, label, dt, dd, button, .kind, .t, .detail, .who";
  for (const el of document.querySelectorAll(sel)) {
    if (!el.textContent.trim() || !el.offsetParent) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([el.tagName, el.className, el.textContent.slice(0, 30), ratio]);
  }
  return worst;
}"""


def test_text_contrast_is_readable(browser, planted_analysis, tmp_path) -> None:
    """WCAG AA: at least 4.5:1 for all visible text, also on the selected row and heatmap."""
    page, _ = open_report(browser, planted_analysis, tmp_path)
    page.locator('#event-list button[data-index="3"]').click()  # a selected row
    for kind in ("interruption", "all"):
        page.select_option("#matrix-type", kind)
        assert page.evaluate(CONTRAST_JS) == []


def test_heatmap_text_stays_readable_at_every_shade(browser, planted_analysis, tmp_path):
    """Sweep one heatmap cell from 0 to the maximum count, for every event type's colour."""
    page, _ = open_report(browser, planted_analysis, tmp_path)
    for kind in ("interruption", "failed_interruption", "backchannel", "overlap", "switch"):
        for count in range(0, 21, 2):
            page.evaluate(
                """([kind, count]) => {
                  const m = talkoverReport.data.matrix[kind];
                  m.Ann.Bob = count; m.Bob.Ann = 20;
                  const sel = document.getElementById('matrix-type');
                  sel.value = kind; sel.dispatchEvent(new Event('change'));
                }""",
                [kind, count],
            )
            assert page.locator(f'#matrix td[aria-label="Ann over Bob: {count}"]').count() == 1
            assert page.evaluate(CONTRAST_JS) == [], (kind, count)


def test_times_round_to_tenths_without_a_stray_digit(browser, planted_analysis, tmp_path):
    page, _ = open_report(browser, planted_analysis, tmp_path)
    shown = page.evaluate(
        "[3.04, 9.97, 59.97, 61.25, 3599.96, 3725.5].map(talkoverReport.formatTime)"
    )
    assert shown == ["0:03.0", "0:10.0", "1:00.0", "1:01.3", "1:00:00.0", "1:02:05.5"]


def test_many_speakers_sparse_matrix_and_capped_heatmap(browser, tmp_path) -> None:
    """60 speakers: the JSON's matrix is sparse (pairs with events only) and the heatmap shows
    the 40 who spoke most, with a caption saying so; counts read from the sparse form."""
    from talkover.analysis import analyze_timeline
    from talkover.timeline import SpeakerTimeline

    rows = [(4.0 * i, 4.0 * i + 5.0 + (i % 7), f"S{i:02d}") for i in range(60)]
    analysis = analyze_timeline(SpeakerTimeline.from_tuples(rows))
    page, errors = open_report(browser, analysis, tmp_path)
    assert errors == []
    assert page.evaluate("talkoverReport.data.matrix_form") == "sparse"
    page.select_option("#matrix-type", "interruption")
    assert page.locator("#matrix tbody tr").count() == 40
    assert page.locator("#matrix caption").inner_text() == (
        "The 40 of 60 speakers who spoke most; the JSON has every pair.")
    shown = page.evaluate("Array.from(document.querySelectorAll('#matrix tbody th'))"
                          ".map(th => th.textContent)")
    by_talk = sorted(analysis.speakers, key=lambda s: -s.talk_time_s)[:40]
    assert set(shown) == {s.id for s in by_talk}
    event = next(e for e in analysis.events if e.type == "interruption" and
                 {e.by, e.of} <= set(shown))
    count = analysis.matrix.count("interruption", event.by, event.of)
    label = f"{event.by} over {event.of}: {count}"
    assert page.locator(f'#matrix td[aria-label="{label}"]').count() == 1


def test_event_types_in_the_plural(browser, planted_analysis, tmp_path) -> None:
    page, errors = open_report(browser, planted_analysis, tmp_path)
    options = page.locator("#matrix-type option").all_inner_texts()
    assert "switches" in options and "switchs" not in options
    assert "failed interruptions" in options
    assert errors == []


def test_a_short_overlap_is_not_said_to_last_zero_seconds(browser, planted_analysis, tmp_path):
    """The status line said "(0.0 s together)" for 30 ms where the event list says 0.03 s."""
    page, errors = open_report(browser, planted_analysis, tmp_path)
    i = page.evaluate("talkoverReport.data.events.findIndex(e => e.type === 'overlap')")
    page.evaluate(f"talkoverReport.data.events[{i}].overlap_s = 0.03; talkoverReport.select({i})")
    assert page.locator("#status").inner_text().endswith("(0.03 s together)")
    assert errors == []
