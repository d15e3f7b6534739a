"""The report's layout with many speakers, and what it shows beyond the timeline: groups, rate
ratios, sensitivity, voice matches, the speakers table's legend, distinct marker colours.

Element boxes are measured in Chromium: every block must fit in the page or scroll inside its
own box, and the speakers table's last column must be visible.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.report.html import write_html_report
from talkover.testing import TimelineBuilder
from talkover.voices import VoiceMatch
from tests.browser import chromium

pytestmark = pytest.mark.browser


def many_speakers(n: int, *, seed: int = 1, events: int = 120) -> Analysis:
    """``n`` speakers with realistic (long) names, every event type, a gender attribute."""
    names = [f"Participant {i:02d} Longname" for i in range(n)]
    rng = random.Random(seed)
    b = TimelineBuilder()
    b.speak(names[0], 5)
    for _ in range(events):
        who = rng.choice([s for s in names if s != b.holder])
        r = rng.random()
        try:
            if r < 0.3:
                b.interruption(who, overlap_s=1.0, duration_s=4)
            elif r < 0.45:
                b.failed_interruption(who, at_s=1.0, duration_s=1.5)
            elif r < 0.6:
                b.backchannel(who, at_s=1.0)
            elif r < 0.7:
                b.overlap(who, overlap_s=0.3, duration_s=3)
            else:
                b.speak(who, 4)
        except ValueError:
            b.speak(who, 3)
    timeline = b.timeline()
    spec = ",".join(f"{s}={'woman' if i % 2 else 'man'}" for i, s in enumerate(timeline.speakers))
    return analyze_timeline(timeline, cast=Cast().with_groups([f"gender:{spec}"]))


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def open_page(browser, analysis: Analysis, path: Path, *, width: int, height: int = 900):
    write_html_report(analysis, path)
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function("window.talkoverReport !== undefined")
    return page, errors


BOXES_JS = """() => {
  const box = el => {
    const r = el.getBoundingClientRect(); return {left: r.left, right: r.right};
  };
  const out = {page: document.documentElement.scrollWidth, width: window.innerWidth, blocks: []};
  for (const s of document.querySelectorAll('main > section, .grid > section')) {
    if (s.hidden) continue;
    const wraps = [...s.querySelectorAll('.table-wrap')].map(w => ({
      ...box(w), scroll: w.scrollWidth, client: w.clientWidth,
      overflowX: getComputedStyle(w).overflowX}));
    out.blocks.push({id: s.id, ...box(s), wraps});
  }
  return out;
}"""


def assert_every_block_fits_or_scrolls(page) -> dict:
    boxes = page.evaluate(BOXES_JS)
    assert boxes["page"] <= boxes["width"], "the page itself scrolls sideways"
    for block in boxes["blocks"]:
        assert 0 <= block["left"] and block["right"] <= boxes["width"] + 0.5, block
        for wrap in block["wraps"]:
            assert block["left"] - 0.5 <= wrap["left"] and wrap["right"] <= block["right"] + 0.5
            if wrap["scroll"] > wrap["client"]:
                assert wrap["overflowX"] == "auto", (block["id"], wrap)
    return boxes


def test_sixteen_speakers_every_block_fits_or_scrolls_in_its_box(browser, tmp_path) -> None:
    analysis = many_speakers(16)
    for width in (1400, 1024):
        page, errors = open_page(browser, analysis, tmp_path / f"r{width}.html", width=width)
        boxes = assert_every_block_fits_or_scrolls(page)
        ids = [b["id"] for b in boxes["blocks"]]
        assert {"matrix-section", "speakers-section", "groups-section"} <= set(ids)
        # the speakers table starts on screen (not pushed off by the heatmap)
        speakers = page.locator("#speakers-section").bounding_box()
        assert 0 <= speakers["x"] < width / 2
        assert page.locator("#matrix tbody tr").count() == 16
        assert page.locator("#speaker-table tbody tr").count() == 16
        page.screenshot(path=str(tmp_path / f"sixteen-{width}.png"), full_page=True)
        assert errors == []


@pytest.mark.parametrize("width", [1400, 1280])
def test_four_speakers_the_last_column_is_visible(browser, tmp_path, width) -> None:
    page, errors = open_page(browser, many_speakers(4), tmp_path / "r.html", width=width)
    assert_every_block_fits_or_scrolls(page)
    wrap = page.locator("#speakers-section .table-wrap")
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] <= sizes[1], "the speakers table needs a scrollbar at this width"
    last = page.locator("#speaker-table tbody tr").first.locator("td").last.bounding_box()
    box = wrap.bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"] + 0.5
    gap = page.locator("#speaker-table button[data-key=mean_response_gap_s]").bounding_box()
    assert gap["x"] + gap["width"] <= box["x"] + box["width"] + 0.5
    assert errors == []


def test_speakers_table_has_a_legend_and_made_received_columns(browser, tmp_path) -> None:
    analysis = many_speakers(3, events=40)
    page, _ = open_page(browser, analysis, tmp_path / "r.html", width=1280)
    legend = page.locator("#speaker-legend").inner_text()
    for word in ("Turns", "Longest", "Gap", "made / recv.", "Failed int.", "Backch."):
        assert word in legend
    groups = page.locator("#speaker-table th.colgroup").all_inner_texts()
    assert groups == ["Interruptions", "Failed int.", "Backch.", "Overlaps"]
    page.locator("#speaker-table button[data-key=interruptions_received]").click()
    shown = page.locator("#speaker-table tbody tr td:nth-child(7)").all_inner_texts()
    expected = sorted((s.interruptions_received for s in analysis.speakers), reverse=True)
    assert [int(x) for x in shown] == expected


def test_groups_rate_ratios_sensitivity_and_voice_matches_are_shown(browser, tmp_path) -> None:
    base = many_speakers(4, events=80)
    analysis = analyze_timeline(
        base.timeline,
        cast=Cast().with_groups(
            ["gender:" + ",".join(f"{s}={'woman' if i % 2 else 'man'}"
                                  for i, s in enumerate(base.timeline.speakers))]
        ),
        sensitivity=SensitivityGrid(min_pause_s=(0.2, 0.3), backchannel_max_s=(1.0,),
                                    grace_s=(0.5,)),
    )
    first = analysis.speakers[0].id
    matches = (VoiceMatch(first, "Diane", 0.81, 40.0),
               VoiceMatch(analysis.speakers[1].id, None, 0.2, 12.0))
    from dataclasses import replace

    analysis = replace(analysis, voice_matches=matches)
    page, errors = open_page(browser, analysis, tmp_path / "r.html", width=1280)
    assert page.locator("#groups-section").is_visible()
    groups = page.locator("#groups-section .groups-table tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in groups] == [g.value for g in analysis.groups[0].groups]
    contrasts = page.locator("#groups-section .contrasts-table tbody tr")
    assert contrasts.count() == len(analysis.groups[0].contrasts) == 4
    first_contrast = analysis.groups[0].contrasts[0]
    assert first_contrast.verdict in contrasts.first.inner_text()
    sens = page.locator("#sensitivity-section .sensitivity-table tbody tr")
    assert page.locator("#sensitivity-section").is_visible()
    assert sens.count() == len(analysis.sensitivity.headlines)
    voices = page.locator("#voices-section tbody tr").all_inner_texts()
    assert "Diane" in voices[0] and "0.81" in voices[0] and "keeps its id" in voices[1]
    assert errors == []


def test_sections_without_data_stay_hidden(browser, tmp_path) -> None:
    page, _ = open_page(browser, many_speakers(2, events=10), tmp_path / "r.html", width=1280)
    assert not page.locator("#sensitivity-section").is_visible()
    assert not page.locator("#voices-section").is_visible()


DISTANCE_JS = """() => {
  const c = talkoverReport.colors;
  const rgb = h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16) / 255);
  const lin = v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  // Machado et al. (2009) deuteranopia and protanopia at full severity, on linear RGB
  const M = {
    normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    deut: [[0.367, 0.861, -0.228], [0.280, 0.673, 0.047], [-0.012, 0.043, 0.969]],
    prot: [[0.152, 1.053, -0.205], [0.115, 0.786, 0.099], [-0.004, -0.048, 1.052]]};
  const lab = v => {
    const X = [0.4124 * v[0] + 0.3576 * v[1] + 0.1805 * v[2],
               0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2],
               0.0193 * v[0] + 0.1192 * v[1] + 0.9505 * v[2]];
    const w = [0.9505, 1, 1.089], f = t => t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
    const [fx, fy, fz] = X.map((x, i) => f(x / w[i]));
    return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
  };
  const see = (h, m) => { const v = rgb(h).map(lin);
    return lab(m.map(r => Math.min(1, Math.max(0, r[0] * v[0] + r[1] * v[1] + r[2] * v[2])))); };
  const out = {};
  for (const k of Object.keys(M)) {
    const a = see(c.interruption, M[k]), b = see(c.failed_interruption, M[k]);
    out[k] = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  }
  return out;
}"""


def test_interruption_and_failed_interruption_colours_differ_for_colour_blind_eyes(
    browser, tmp_path
) -> None:
    page, _ = open_page(browser, many_speakers(2, events=10), tmp_path / "r.html", width=1280)
    distances = page.evaluate(DISTANCE_JS)
    # CIELAB distance: ~2.3 is just noticeable; the old red/orange pair was 17, and 9 for
    # deuteranopes. Require clearly different colours in all three views.
    assert min(distances.values()) > 40, distances
    shapes = page.locator("#legend .shape path").evaluate_all(
        "ps => ps.map(p => p.getAttribute('d') + (p.getAttribute('fill') || ''))"
    )
    assert len(set(shapes)) == len(shapes) == 5  # one shape per type, also without colour


WORDS_ON_ONE_LINE_JS = """() => [...document.querySelectorAll('#matrix th[scope=col]')]
  .flatMap(th => {
  const text = th.textContent, out = [];
  const range = document.createRange();
  let offset = 0;
  const nodes = [...th.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
  for (const word of text.split(/[\\s_.\\-]+/).filter(Boolean)) {  // each word of the name
    const at = text.indexOf(word, offset); offset = at + word.length;
    let seen = 0, rects = new Set();
    for (const node of nodes) {
      const from = Math.max(at - seen, 0), to = Math.min(at + word.length - seen, node.length);
      if (from < to) {
        range.setStart(node, from); range.setEnd(node, to);
        for (const r of range.getClientRects()) if (r.width > 0) rects.add(Math.round(r.top));
      }
      seen += node.length;
    }
    if (rects.size > 1) out.push(word + ' in ' + text);
  }
  return out;
})"""


def test_sixteen_speakers_headers_wrap_between_words_only(browser, tmp_path) -> None:
    """The heatmap's column headers wrap between words (or after ``_``), never inside one:
    ``SPEAKER_1`` over ``0`` is a mid-word break."""
    named = many_speakers(16)
    ids = [f"SPEAKER_{i:02d}" if i % 3 else f"Konstantinopoulou{i:02d}" for i in range(16)]
    timeline = named.timeline.renamed(dict(zip(named.timeline.speakers, ids, strict=True)))
    for analysis in (analyze_timeline(timeline), named):
        for width in (1024, 1400):
            path = tmp_path / f"h{width}-{analysis is named}.html"
            page, errors = open_page(browser, analysis, path, width=width)
            assert page.evaluate(WORDS_ON_ONE_LINE_JS) == [], width
            assert errors == []


def test_sixteen_speakers_lanes_have_sixteen_colours(browser, tmp_path) -> None:
    page, errors = open_page(browser, many_speakers(16), tmp_path / "c.html", width=1280)
    colours = page.locator("#lane-labels .swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(colours) == 16 and len(set(colours)) == 16, colours  # lane 11 is not lane 1
    table = page.locator("#speaker-table tbody th .swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert sorted(table) == sorted(colours)
    assert errors == []
