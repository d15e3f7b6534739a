"""The app in a real browser (Debian's Chromium driven by Playwright) against a real server.

The review flows use the planted call (tests/review/conftest.py) uploaded as RTTM with its tone
recording; the upload flow drops the real 30 s sample call on the page and waits for the
diarizer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover.formats import read_annotation
from tests.browser import chromium
from tests.web.server import Server, wait_done

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("browser") / "store").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def call(server, planted_files) -> str:
    """A fresh upload of the planted call (each test reviews its own copy)."""
    rttm, wav = planted_files
    with server.client() as client:
        res = client.post("/api/recordings", files={"file": ("call.rttm", rttm.read_bytes()),
                                                    "media": ("call.wav", wav.read_bytes())})
        uri = res.json()["id"]
        assert wait_done(client, uri)["status"] == "done"
    return uri


def open_page(browser, server, path: str, *, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + path)
    return page, errors


def open_review(browser, server, uri: str):
    page, errors = open_page(browser, server, f"/recordings/{uri}")
    page.wait_for_function("() => window.talkoverReview && document.getElementById('audio')"
                           " && document.getElementById('audio').readyState >= 1")
    page.click("#review-toggle")
    return page, errors


def settle(page) -> None:
    """Wait until every edit sent has been answered and drawn."""
    page.evaluate("talkoverReview.done()")


def matrix_cell(page, kind: str, by: str, of: str) -> str:
    page.select_option("#matrix-type", kind)
    return page.locator(f'#matrix td[aria-label^="{by} over {of}:"]').inner_text()


def made(page, speaker: str, key: str) -> int:
    return int(page.evaluate(
        f"talkoverReport.data.speakers.find(s => s.id === {speaker!r})[{key!r}]"))


def event_index(page, type: str, at: float) -> int:
    return page.evaluate(
        f"talkoverReport.data.events.findIndex(e => e.type === {type!r} && "
        f"Math.abs(e.start_s - {at}) < 1e-6)")


def test_upload_a_real_recording_through_the_page(browser, server) -> None:
    page, errors = open_page(browser, server, "/")
    page.fill("#num-speakers", "2")
    page.set_input_files("#file-input", str(SAMPLE))
    row = page.locator('#history tr[data-id="pyannote_sample_call"]')
    row.wait_for(timeout=120_000)
    page.wait_for_selector('#history tr[data-id="pyannote_sample_call"][data-status="done"]',
                           timeout=240_000)
    cells = row.locator("td").all_inner_texts()
    assert cells[2] == "0:30" and cells[3] == "2"  # duration, speakers
    page.click('#history a[href="/recordings/pyannote_sample_call"]')
    page.wait_for_function("() => window.talkoverReport && talkoverReport.data.events.length")
    assert page.locator("#summary li").count() >= 1
    assert errors == []


def test_click_an_event_and_hear_it(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    i = event_index(page, "interruption", 19.1)
    x = page.evaluate(f"talkoverReport.timeToX({19.1})")
    y = page.evaluate("talkoverReport.laneY('Cy')") - 12
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.evaluate("talkoverReport.selected()") == i
    page.wait_for_function("() => document.getElementById('audio').currentTime > 17.4",
                           timeout=10_000)
    assert not page.evaluate("document.getElementById('audio').paused")
    unnamed = page.locator("button, select, input, summary, a, [tabindex='0']").evaluate_all(
        "els => els.filter(e => e.offsetParent && !(e.getAttribute('aria-label') || "
        "e.textContent.trim() || e.labels && e.labels.length)).map(e => e.outerHTML)")
    assert unnamed == []  # every control of the review tools has an accessible name
    assert errors == []


def test_reject_an_event_and_the_counts_change_then_undo(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    assert page.locator("#review-progress").inner_text() == "0 of 7 reviewed"
    assert "9 events" in page.locator("#meta").inner_text()
    assert made(page, "Bob", "interruptions_made") == 1
    assert matrix_cell(page, "interruption", "Bob", "Ann") == "1"
    i = event_index(page, "interruption", 4.6)
    page.locator(f'#event-list button[data-index="{i}"]').click()
    page.keyboard.press("x")
    settle(page)
    assert made(page, "Bob", "interruptions_made") == 0
    assert matrix_cell(page, "interruption", "Bob", "Ann") == "0"
    row = page.locator('#event-list button[data-id="interruption@4600:Bob>Ann"]')
    assert row.get_attribute("data-verdict") == "rejected"
    assert page.locator("#review-progress").inner_text() == "1 of 7 reviewed"
    assert "8 events" in page.locator("#meta").inner_text()  # the rejected one is not counted
    bob = page.locator("#speaker-table tbody tr", has_text="Bob").locator("td").nth(4)
    assert bob.inner_text() == "0"  # the table shows it too
    page.keyboard.press("z")  # undo
    settle(page)
    assert made(page, "Bob", "interruptions_made") == 1
    assert matrix_cell(page, "interruption", "Bob", "Ann") == "1"
    assert page.locator("#review-progress").inner_text() == "0 of 7 reviewed"
    # the queue: j visits the least confident first (annotation events: in time order)
    page.keyboard.press("j")
    page.keyboard.press("c")
    settle(page)
    assert page.locator("#review-progress").inner_text() == "1 of 7 reviewed"
    assert errors == []


def test_drag_a_boundary_so_an_overlap_becomes_a_switch(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    assert matrix_cell(page, "overlap", "Cy", "Bob") == "1"
    page.evaluate("talkoverReport.zoom(60); talkoverReport.centerOn(10.4)")
    page.wait_for_timeout(100)
    box = page.locator("#canvas").bounding_box()
    y = page.evaluate("talkoverReport.laneY('Bob')") + 6
    x0 = page.evaluate("talkoverReport.timeToX(10.6)")
    x1 = page.evaluate("talkoverReport.timeToX(10.15)")
    page.mouse.move(box["x"] + x0, box["y"] + y)
    page.mouse.down()
    page.mouse.move(box["x"] + (x0 + x1) / 2, box["y"] + y, steps=3)
    page.mouse.move(box["x"] + x1, box["y"] + y, steps=3)
    page.mouse.up()
    settle(page)
    ends = page.evaluate("talkoverReport.data.segments.filter(s => s.speaker === 'Bob')"
                         ".map(s => s.end_s)")
    assert any(abs(e - 10.15) < 0.03 for e in ends), ends
    assert matrix_cell(page, "overlap", "Cy", "Bob") == "0"
    assert matrix_cell(page, "switch", "Cy", "Bob") == "1"
    page.click("#rv-undo")
    settle(page)
    assert matrix_cell(page, "overlap", "Cy", "Bob") == "1"
    assert errors == []


def test_nudge_with_the_keyboard_and_see_what_changed(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    page.locator(f'#event-list button[data-index="{event_index(page, "overlap", 10.3)}"]').click()
    assert "end of Bob's speech at 0:10.6" in page.locator("#boundary-label").inner_text()
    for _ in range(8):  # 10.6 -> 10.2 in 50 ms steps
        page.keyboard.press("[")
    settle(page)
    assert matrix_cell(page, "switch", "Cy", "Bob") == "1"
    assert page.evaluate("talkoverReport.data.review.edits") == 8
    page.click("#rv-changes")
    page.wait_for_selector("#changes li")
    text = page.locator("#changes").inner_text()
    assert "retyped: overlap Cy→Bob at 0:10.3 → switch" in text
    assert "overlaps: 1 → 0" in text
    page.keyboard.press("?")
    assert page.locator("#keys-dialog").is_visible()
    page.keyboard.press("Escape")
    assert errors == []


def test_export_and_read_the_export_back(browser, server, call, tmp_path) -> None:
    page, errors = open_review(browser, server, call)
    page.locator(f'#event-list button[data-index="{event_index(page, "overlap", 10.3)}"]').click()
    for _ in range(8):
        page.keyboard.press("[")
    settle(page)
    page.click("#export-menu summary")
    for link, suffix in (("#export-rttm", ".rttm"), ("#export-textgrid", ".TextGrid")):
        with page.expect_download() as info:
            page.click(link)
        download = info.value
        assert download.suggested_filename == f"{call}.corrected{suffix}"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        bob = [s for s in read_annotation(path) if s.speaker == "Bob"]
        assert any(abs(s.end_s - 10.2) < 1e-6 for s in bob)
    assert errors == []


# ------------------------------------------------------------------ found in review


def test_no_review_panel_without_review_mode(browser, server, call) -> None:
    page, errors = open_page(browser, server, f"/recordings/{call}")
    page.wait_for_function("() => window.talkoverReview")
    assert page.locator("#review-panel").get_attribute("hidden") is not None
    assert not page.locator("#review-panel").is_visible()  # no empty grey box
    page.click("#review-toggle")
    assert page.locator("#review-panel").is_visible()
    page.click("#review-toggle")
    assert not page.locator("#review-panel").is_visible()
    assert errors == []


def test_a_refused_nudge_keeps_the_boundary(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    # Bob's backchannel 2.1-2.6: its boundary is Bob's onset; 500 ms later leaves nothing
    page.locator(f'#event-list button[data-index="{event_index(page, "backchannel", 2.1)}"]'
                 ).click()
    label = page.locator("#boundary-label")
    assert "onset of Bob's speech at 0:02.1" in label.inner_text()
    page.keyboard.press("}")
    settle(page)
    page.wait_for_function("() => document.getElementById('review-message').textContent")
    assert "at least 10 ms" in page.locator("#review-message").inner_text()
    assert "onset of Bob's speech at 0:02.1" in label.inner_text()  # still selected, unmoved
    assert page.evaluate("talkoverReview.state.boundary.start_s") == 2.1
    page.keyboard.press("]")  # and it still nudges
    settle(page)
    assert page.evaluate("talkoverReview.state.boundary.start_s") == 2.15
    assert errors == []


def test_space_activates_the_focused_control_in_review_mode(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    page.focus("#export-menu summary")
    page.keyboard.press(" ")
    assert page.evaluate("document.getElementById('export-menu').open")
    page.focus("#rv-changes")
    page.keyboard.press(" ")
    page.wait_for_selector("#changes li")
    checked = page.evaluate("document.getElementById('show-switches').checked")
    page.focus("#show-switches")
    page.keyboard.press(" ")
    assert page.evaluate("document.getElementById('show-switches').checked") is not checked
    assert page.evaluate("document.getElementById('audio').paused")  # none of them played
    assert errors == []


def test_reassign_a_segment_to_a_new_speaker(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    page.evaluate("talkoverReport.zoom(40); talkoverReport.centerOn(25.5)")
    page.wait_for_timeout(100)
    box = page.locator("#canvas").bounding_box()
    x = page.evaluate("talkoverReport.timeToX(25.5)")
    y = page.evaluate("talkoverReport.laneY('Bob')") + 8
    page.mouse.click(box["x"] + x, box["y"] + y)  # Bob's 23.7-28.7
    page.wait_for_selector("#reassign-select")
    page.select_option("#reassign-select", "")  # New speaker...
    field = page.locator("#new-speaker-input")
    assert field.is_visible() and field.input_value() == "speaker_3"  # free, like no other
    for taken, why in (("Bob", "already a speaker"), ("Dan Smith", "no spaces")):
        field.fill(taken)
        page.click("#review-panel button:has-text('Reassign')")
        assert why in page.locator("#review-message").inner_text()
    field.fill("Dan")
    page.click("#review-panel button:has-text('Reassign')")
    settle(page)
    assert page.evaluate("talkoverReport.speakers()") == ["Ann", "Bob", "Cy", "Dan"]
    dan = page.evaluate("talkoverReport.data.segments.filter(s => s.speaker === 'Dan')"
                        ".map(s => [s.start_s, s.end_s])")
    assert dan == [[23.7, 28.7]]
    assert errors == []


def matrix_speakers(page) -> list[str]:
    return page.eval_on_selector_all("#matrix thead th[title]", "n => n.map(x => x.title)")


def test_merge_speakers_and_every_table_follows(browser, server, call) -> None:
    """A merge takes a speaker away: the heatmap, the speakers table and the event filter
    show the speakers that are left, and the page keeps taking edits (an edit whose answer the
    page could not draw broke it: the heatmap kept its speakers and the next redraw threw)."""
    page, errors = open_review(browser, server, call)
    page.click('.lane-label[data-speaker="Cy"]')
    page.select_option("#merge-select", "Ann")
    page.click("#review-panel button:text-is('Merge')")
    settle(page)
    assert page.evaluate("talkoverReport.speakers()") == ["Ann", "Bob"]
    assert matrix_speakers(page) == ["Ann", "Bob"]
    assert page.locator("#review-message").inner_text() == ""
    assert page.evaluate("talkoverReview.state.pending") == 0
    page.keyboard.press("z")  # the merge undone: Cy is back everywhere
    settle(page)
    assert matrix_speakers(page) == ["Ann", "Bob", "Cy"]
    assert errors == []


def test_a_new_speaker_gets_a_row_and_a_column_of_the_heatmap(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    page.evaluate("talkoverReview.send({op: 'reassign_segment', speaker: 'Dan',"
                  " segment: {speaker: 'Bob', start_s: 23.7, end_s: 28.7}})")
    settle(page)
    assert matrix_speakers(page) == ["Ann", "Bob", "Cy", "Dan"]
    assert page.locator('#matrix td[aria-label^="Ann over Dan:"]').inner_text() == "1"
    assert errors == []


def test_changes_list_speech_edits_that_change_no_event(browser, server, call) -> None:
    """Shortening the last turn changes no event and no count, but the review changed who
    spoke when: Changes says so (it said "Nothing changed yet")."""
    page, errors = open_review(browser, server, call)
    last = page.evaluate("talkoverReport.data.segments.filter(s => s.speaker === 'Ann').pop()")
    page.evaluate("s => talkoverReview.send({op: 'move_boundary', segment: s, edge: 'end',"
                  " to_s: s.end_s - 0.5})", last)
    settle(page)
    page.click("#rv-changes")
    page.wait_for_selector("#changes li")
    text = page.locator("#changes").inner_text()
    assert "Nothing changed" not in text
    start, end = last["start_s"], last["end_s"]
    assert f"speech resized: Ann {start:.2f}–{end:.2f} s → {start:.2f}–{end - 0.5:.2f} s" in text
    page.keyboard.press("z")
    page.evaluate("talkoverReview.send({op: 'merge_speakers', speaker: 'Cy', into: 'Bob'})")
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('#changes').innerText.includes('Cy → Bob')")
    lines = page.locator("#changes li").all_inner_texts()
    assert "speech reassigned: 19.10–23.10 s Cy → Bob" in lines
    # Cy's 10.3-15.3 overlapped Bob's own speech: joined to it
    assert "speech resized: Bob 4.60–10.60 s → 4.60–15.30 s" in lines
    assert "switches: 2 → 1" in lines  # (not "switchs")
    assert errors == []


def test_the_home_page_fits_a_narrow_window(browser, server, call) -> None:
    """At 800 px the history table scrolls inside its box; the page itself does not scroll
    sideways (the table's hidden "Actions" label escaped the box and widened the page)."""
    page, errors = open_page(browser, server, "/", width=800)
    page.wait_for_selector(f'#history tr[data-id="{call}"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    assert page.evaluate("document.querySelector('.table-wrap').scrollWidth") > 800
    assert errors == []


def test_a_reload_resumes_the_review_where_it_left_off(browser, server, call) -> None:
    """After a reload (review mode stays on), the selected event is the first of the queue
    without a verdict, not the first of the queue (which the reviewer had already judged)."""
    page, errors = open_review(browser, server, call)
    for key in "cjcj":  # the first two of the queue confirmed; the third selected
        page.keyboard.press(key)
    settle(page)
    queue = page.evaluate("talkoverReport.data.review.queue")
    assert page.locator("#review-progress").inner_text() == f"2 of {len(queue)} reviewed"
    page.reload()
    page.wait_for_function("() => window.talkoverReview && talkoverReport.selected() >= 0")
    assert page.evaluate("talkoverReport.data.events[talkoverReport.selected()].id") == queue[2]
    assert errors == []


def test_backspace_deletes_the_selected_segment(browser, server, call) -> None:
    """A Mac keyboard's delete key sends Backspace."""
    page, errors = open_review(browser, server, call)
    page.evaluate("talkoverReport.zoom(40); talkoverReport.centerOn(25.5)")
    page.wait_for_timeout(100)
    box = page.locator("#canvas").bounding_box()
    x = page.evaluate("talkoverReport.timeToX(25.5)")
    y = page.evaluate("talkoverReport.laneY('Bob')") + 8
    page.mouse.click(box["x"] + x, box["y"] + y)  # Bob's 23.7-28.7
    page.wait_for_selector("#reassign-select")
    page.keyboard.press("Backspace")
    settle(page)
    bob = page.evaluate("talkoverReport.data.segments.filter(s => s.speaker === 'Bob')"
                        ".map(s => [s.start_s, s.end_s])")
    assert [23.7, 28.7] not in bob
    assert page.evaluate("talkoverReport.data.review.edits") == 1
    assert errors == []


def test_a_failed_recording_says_why_without_a_progress_bar(browser, server) -> None:
    garbage = b"fLaC\x00\x00\x00\x22" + bytes(range(256)) * 8
    with server.client() as client:
        uri = client.post("/api/recordings", files={"file": ("broken.flac", garbage)}).json()["id"]
        assert wait_done(client, uri)["status"] == "failed"
    page, errors = open_page(browser, server, f"/recordings/{uri}")
    page.wait_for_selector("#error:not([hidden])")
    assert page.locator("#state").inner_text() == "Failed."
    assert "not a readable audio or video file" in page.locator("#error").inner_text()
    assert not page.locator("main .bar").is_visible()
    assert errors == []


def test_a_dragged_end_is_labelled_as_an_end(browser, server, call) -> None:
    """After a drag the panel shows the dragged boundary (the click ending the drag selected
    the segment under it, with its times before the edit: a later reassign, split or delete
    of it was refused), labelled by its edge (a dragged end was called an "onset")."""
    page, errors = open_review(browser, server, call)
    assert page.evaluate("talkoverReport.selected()") >= 0  # an event's panel shows the label
    page.evaluate("talkoverReport.zoom(60); talkoverReport.centerOn(10.4)")
    page.wait_for_timeout(100)
    box = page.locator("#canvas").bounding_box()
    y = page.evaluate("talkoverReport.laneY('Bob')") + 6
    x0 = page.evaluate("talkoverReport.timeToX(10.6)")
    x1 = page.evaluate("talkoverReport.timeToX(10.5)")
    page.mouse.move(box["x"] + x0, box["y"] + y)
    page.mouse.down()
    page.mouse.move(box["x"] + x1, box["y"] + y, steps=4)
    page.mouse.up()
    settle(page)
    # the click ending the drag did not select Bob's segment as it was before the edit
    assert page.locator("#reassign-select").count() == 0
    assert "end of Bob's speech at 0:10.5" in page.locator("#boundary-label").inner_text()
    assert errors == []


def test_a_selected_segment_that_an_edit_changed_is_unselected(browser, server, call) -> None:
    """A segment selected, then changed by another edit (an undo, a nudge, another tab): its
    panel no longer offers to reassign, split or delete it as it was (each refused)."""
    page, errors = open_review(browser, server, call)
    page.evaluate("talkoverReport.zoom(40); talkoverReport.centerOn(25.5)")
    page.wait_for_timeout(100)
    box = page.locator("#canvas").bounding_box()
    x = page.evaluate("talkoverReport.timeToX(25.5)")
    y = page.evaluate("talkoverReport.laneY('Bob')") + 8
    page.mouse.click(box["x"] + x, box["y"] + y)  # Bob's 23.7-28.7
    page.wait_for_selector("#reassign-select")
    page.evaluate("talkoverReview.send({op: 'move_boundary', edge: 'end', to_s: 28.0,"
                  " segment: {speaker: 'Bob', start_s: 23.7, end_s: 28.7}})")
    settle(page)
    assert page.locator("#reassign-select").count() == 0
    page.keyboard.press("Delete")  # nothing selected: nothing sent
    settle(page)
    assert page.evaluate("talkoverReport.data.review.edits") == 1
    assert page.locator("#review-message").inner_text() == "Click a segment first."
    assert errors == []


def test_speakers_keep_their_colours_when_one_is_merged_away(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    swatches = ("() => Object.fromEntries([...document.querySelectorAll('.lane-label')]"
                ".map(l => [l.dataset.speaker, l.querySelector('.swatch').style.background]))")
    before = page.evaluate(swatches)
    page.evaluate("talkoverReview.send({op: 'merge_speakers', speaker: 'Ann', into: 'Cy'})")
    settle(page)
    after = page.evaluate(swatches)
    assert set(after) == {"Bob", "Cy"}
    assert after == {k: before[k] for k in after}  # (the lanes moved up; colours stayed)
    page.evaluate("talkoverReview.send({op: 'reassign_segment', speaker: 'Dan',"
                  " segment: {speaker: 'Bob', start_s: 23.7, end_s: 28.7}})")
    settle(page)
    assert len(set(page.evaluate(swatches).values())) == 3  # a new speaker: a colour of its own
    assert errors == []


def test_the_history_says_when_a_file_was_uploaded_before(browser, server, call) -> None:
    with server.client() as client:
        again = client.post("/api/recordings", files={
            "file": ("call.rttm", (server.store / "media" / f"{call}.rttm").read_bytes())})
        again = again.json()["id"]
        wait_done(client, again)
    page, errors = open_page(browser, server, "/")
    row = page.locator(f'#history tr[data-id="{again}"] td.name')
    assert "same file as " in row.inner_text()
    assert errors == []


def test_an_annotation_goes_with_its_recording_whatever_the_case(browser, server,
                                                                 planted_files, tmp_path) -> None:
    """CALL.rttm and call.wav dropped together are one upload (the annotation, played with
    the recording); by case they were two, and the recording was diarized on its own."""
    rttm, wav = planted_files
    (tmp_path / "CasePair.RTTM").write_bytes(rttm.read_bytes())
    (tmp_path / "casepair.wav").write_bytes(wav.read_bytes())
    page, errors = open_page(browser, server, "/")
    page.set_input_files("#file-input", [str(tmp_path / "CasePair.RTTM"),
                                         str(tmp_path / "casepair.wav")])
    page.wait_for_selector("#uploads li:has-text('queued as')")
    assert page.locator("#uploads li").count() == 1
    uri = page.locator("#uploads li").inner_text().rsplit("queued as ", 1)[1].strip()
    with server.client() as client:
        assert client.get(f"/api/recordings/{uri}").json()["kind"] == "annotation"
        assert client.get(f"/api/recordings/{uri}/audio").status_code == 200
    assert errors == []


def test_enter_in_the_name_field_renames(browser, server, call) -> None:
    page, errors = open_review(browser, server, call)
    page.click('.lane-label[data-speaker="Cy"]')
    page.fill("#rename-input", "Cyrille")
    page.press("#rename-input", "Enter")
    settle(page)
    assert page.evaluate("talkoverReport.names()['Cy']") == "Cyrille"
    assert errors == []


def test_the_history_shows_what_an_analysis_warned_of(browser, server, planted_files) -> None:
    rttm = planted_files[0].read_text() + "SPEAKER built 1 10.0 0.0004 <NA> <NA> Ann <NA> <NA>\n"
    with server.client() as client:
        uri = client.post("/api/recordings", files={"file": ("odd.rttm", rttm.encode())})
        uri = uri.json()["id"]
        assert wait_done(client, uri)["status"] == "done"
    page, errors = open_page(browser, server, "/")
    status = page.locator(f'#history tr[data-id="{uri}"] td.status')
    assert "warning: " in status.inner_text()
    assert "skipped 1 zero-length segment(s)" in status.locator(".warning").inner_text()
    assert errors == []
