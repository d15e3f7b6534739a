"""What a batch's inputs resolve to: manifest CSVs as spreadsheets write them, folders holding a
manifest beside the recordings, and rows that must not be lost silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover.batch import AnalysisOptions, find_requests
from talkover.errors import FormatError
from tests.batch.conversations import write_conversations


def _names(requests) -> list[tuple[str, str | None, tuple]]:
    return [(Path(r.path).name, r.uri, r.metadata) for r in requests]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_manifest_separated_by_semicolons_or_tabs_is_a_manifest(tmp_path: Path,
                                                                   delimiter: str) -> None:
    """A spreadsheet in a locale with decimal commas saves ``path;site``, with a BOM and
    CRLF."""
    write_conversations(tmp_path / "in", 2)
    manifest = tmp_path / "corpus.csv"
    lines = [["path", "site", "groups"], ["in/conv_000.rttm", "Lyon", '"gender:A=w;role:A=x"'],
             ["in/conv_001.rttm", "Paris", ""]]
    manifest.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(
        delimiter.join(cells) for cells in lines).encode() + b"\r\n")
    found = find_requests([str(manifest)], AnalysisOptions())
    assert _names(found) == [("conv_000.rttm", None, (("site", "Lyon"),)),
                             ("conv_001.rttm", None, (("site", "Paris"),))]
    assert found[0].options.groups == ("gender:A=w", "role:A=x")


def test_the_known_columns_are_found_in_any_case(tmp_path: Path) -> None:
    write_conversations(tmp_path / "in", 1)
    manifest = tmp_path / "corpus.csv"
    manifest.write_text("Path,URI, Site \nin/conv_000.rttm,first,Leeds\n")
    found = find_requests([str(manifest)], AnalysisOptions())
    assert _names(found) == [("conv_000.rttm", "first", (("Site", "Leeds"),))]
    manifest.write_text("path,PATH\nin/conv_000.rttm,in/conv_000.rttm\n")
    with pytest.raises(FormatError, match="column.s. given twice: path"):
        find_requests([str(manifest)], AnalysisOptions())


def test_a_quoted_cell_over_two_lines_keeps_its_line_break_and_the_line_numbers(
    tmp_path: Path,
) -> None:
    write_conversations(tmp_path / "in", 2)
    manifest = tmp_path / "corpus.csv"
    manifest.write_text('path,notes,uri\nin/conv_000.rttm,"first line\nsecond line",a\n'
                        "in/conv_001.rttm,short,../bad\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        find_requests([str(manifest)], AnalysisOptions())
    assert str(info.value).startswith(f"{manifest}:4: ")  # the row after the two-line cell
    manifest.write_text('path,notes\nin/conv_000.rttm,"first line\nsecond line"\n'
                        "in/conv_001.rttm,short\n", encoding="utf-8")
    found = find_requests([str(manifest)], AnalysisOptions())
    assert [r.metadata for r in found] == [(("notes", "first line\nsecond line"),),
                                          (("notes", "short"),)]


def test_a_quote_left_open_is_refused_not_swallowing_the_rows_after_it(tmp_path: Path) -> None:
    write_conversations(tmp_path / "in", 3)
    manifest = tmp_path / "corpus.csv"
    manifest.write_text('path,notes\nin/conv_000.rttm,ok\nin/conv_001.rttm,"open\n'
                        "in/conv_002.rttm,lost\n", encoding="utf-8")
    with pytest.raises(FormatError, match="expected a closing quote") as info:
        find_requests([str(manifest)], AnalysisOptions())
    assert str(info.value).startswith(f"{manifest}:3: ")


def test_a_file_listed_twice_without_a_uri_is_refused(tmp_path: Path) -> None:
    """Two rows for one file with different metadata: one of them would be dropped."""
    write_conversations(tmp_path / "in", 1)
    manifest = tmp_path / "corpus.csv"
    manifest.write_text("path,site\nin/conv_000.rttm,Lyon\nin/conv_000.rttm,Paris\n")
    with pytest.raises(FormatError, match="listed twice without a uri .also on line 2.") as info:
        find_requests([str(manifest)], AnalysisOptions())
    assert str(info.value).startswith(f"{manifest}:3: ")
    (tmp_path / "in" / "link.rttm").symlink_to(tmp_path / "in" / "conv_000.rttm")
    manifest.write_text("path,site\nin/conv_000.rttm,Lyon\nin/link.rttm,Paris\n")
    with pytest.raises(FormatError, match="in/link.rttm is listed twice without a uri"):
        find_requests([str(manifest)], AnalysisOptions())
    manifest.write_text("path,site,uri\nin/conv_000.rttm,Lyon,\nin/conv_000.rttm,Paris,again\n")
    assert [r.uri for r in find_requests([str(manifest)], AnalysisOptions())] == [None, "again"]


def test_a_folder_search_leaves_a_manifest_csv_alone_and_its_row_wins(tmp_path: Path) -> None:
    """``talkover batch calls/`` with ``calls/corpus.csv`` beside the recordings: the
    manifest is not a recording; ``talkover batch calls/ calls/corpus.csv`` takes the files it
    lists from its rows only (not once more under their file names)."""
    write_conversations(tmp_path / "calls", 2)
    manifest = tmp_path / "calls" / "corpus.csv"
    manifest.write_text("path,site\nconv_001.rttm,Leeds\n")
    segments = tmp_path / "calls" / "segments.csv"
    segments.write_text("start,end,speaker\n0.0,1.5,A\n1.0,3.0,B\n")
    folder = find_requests([str(tmp_path / "calls")], AnalysisOptions())
    assert [n for n, _, _ in _names(folder)] == ["conv_000.rttm", "conv_001.rttm",
                                                 "segments.csv"]
    both = find_requests([str(tmp_path / "calls"), str(manifest)], AnalysisOptions())
    assert _names(both) == [("conv_000.rttm", None, ()), ("segments.csv", None, ()),
                            ("conv_001.rttm", None, (("site", "Leeds"),))]
    manifest.write_text("path,uri,site\nconv_001.rttm,call-1,Leeds\nconv_001.rttm,call-1b,\n")
    named = find_requests([str(tmp_path / "calls"), str(manifest)], AnalysisOptions())
    assert [uri for _, uri, _ in _names(named)] == [None, None, "call-1", "call-1b"]


@pytest.mark.parametrize("column", ["status", "error", "reviewed", "attempts", "_floor"])
def test_a_metadata_column_named_like_a_manifest_column_is_refused(tmp_path: Path,
                                                                   column: str) -> None:
    """The corpus's ``recordings`` frame puts metadata beside the manifest's columns: a
    ``status`` column would overwrite the recording's status."""
    write_conversations(tmp_path / "in", 1)
    manifest = tmp_path / "corpus.csv"
    manifest.write_text(f"path,{column}\nin/conv_000.rttm,pilot\n")
    with pytest.raises(FormatError, match=f"metadata column '{column}' would clash"):
        find_requests([str(manifest)], AnalysisOptions())


def test_a_symbolic_link_keeps_its_own_name(tmp_path: Path) -> None:
    """A git-annex / DataLad corpus: each recording is a link into the annex, named after a
    hash; the recording is the link's name. One file named twice is one recording."""
    paths = write_conversations(tmp_path / ".git" / "annex" / "objects", 1)
    (tmp_path / "corpus").mkdir()
    link = tmp_path / "corpus" / "diane and sheila.rttm"
    link.symlink_to(Path("..") / ".git" / "annex" / "objects" / paths[0].name)
    found = find_requests([str(tmp_path / "corpus")], AnalysisOptions())
    assert [r.path for r in found] == [str(link)]
    again = find_requests([str(link), str(paths[0])], AnalysisOptions())
    assert [r.path for r in again] == [str(link)]
