"""Which recordings a batch covers: files, folders, globs and manifest CSVs, resolved to
:class:`Request` values (one per recording).

* A **file** is a recording when its extension is not an annotation format talkover reads, an
  annotation otherwise (``--input-format`` makes every input an annotation of that format).
* A **folder** is searched recursively, in name order, for files with a media extension
  (:data:`MEDIA_EXTENSIONS`) or an annotation extension; hidden files and folders, and stores,
  are skipped. Other files are left alone.
* A **glob** (``'calls/*.wav'``, ``'**/*.rttm'``; quote it so the shell does not expand it) is
  expanded like a list of files and folders.
* A **manifest CSV** is a ``.csv`` whose header has a ``path`` column (a segments CSV has none),
  separated by ``,``, ``;`` or tabs; a folder search leaves manifest CSVs alone (name one to
  use it). Each row is a recording: ``path`` (relative to the CSV's folder), and optionally ``uri``,
  ``speakers``, ``groups`` (``;`` between attributes:
  ``gender:Ann=woman,Bo=man;role:Ann=host``), ``num_speakers``, ``min_speakers``,
  ``max_speakers``; every other column is metadata, carried into the store's tables. A
  manifest's ``speakers`` replaces ``--speakers`` for its row; its ``groups`` come after
  ``--groups`` (so they win).

Bad usage (a missing file or folder, a glob that matches nothing, a malformed manifest) raises
:class:`~talkover.errors.InputError` before any work; a manifest row whose file is missing is a
recording that fails (the batch goes on).
"""

from __future__ import annotations

import csv
import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from talkover.batch.jobs import AnalysisOptions
from talkover.errors import ConfigError, FormatError, InputError
from talkover.files import read_text
from talkover.formats import ANNOTATION_READERS, is_annotation
from talkover.formats.csv import csv_rows
from talkover.store.manifest import Kind
from talkover.store.store import MARKER
from talkover.store.tables import GROUP_PREFIX, WORKING_PREFIX, reserved_columns
from talkover.store.uris import check_uri

__all__ = ["Request", "find_requests", "MEDIA_EXTENSIONS", "MANIFEST_COLUMNS", "kind_of",
           "read_manifest_csv", "is_manifest_csv"]

#: Extensions a folder search takes as recordings (any other file named outright is tried too).
MEDIA_EXTENSIONS = frozenset({
    ".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wma", ".aif", ".aiff",
    ".mka", ".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi", ".3gp", ".amr",
})
#: Manifest CSV columns with a meaning; any other column is metadata.
MANIFEST_COLUMNS = ("path", "uri", "speakers", "groups", "num_speakers", "min_speakers",
                    "max_speakers")
_GLOB_CHARS = frozenset("*?[")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Request:
    """One recording a batch is asked to analyse.

    Attributes
    ----------
    path
        The file, absolute.
    kind
        ``audio`` (diarized) or ``annotation`` (read).
    options
        How to analyse it (the command's options, with the manifest row's own).
    uri
        The uri the manifest CSV gave; ``None``: the store derives one from the file name.
    metadata
        The manifest row's metadata columns (empty cells left out), in column order.
    where
        Where it was named, for messages (``corpus.csv:12``); ``None`` for command-line files.
    """

    path: str
    kind: Kind
    options: AnalysisOptions
    uri: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    where: str | None = None


def kind_of(path: str | Path, options: AnalysisOptions) -> Kind:
    """``annotation`` for an annotation extension or with ``--input-format``, else ``audio``."""
    return "annotation" if options.input_format is not None or is_annotation(path) else "audio"


def find_requests(inputs: Sequence[str], options: AnalysisOptions) -> list[Request]:
    """Every recording ``inputs`` name, in order, each path once (the first mention wins); a
    file a manifest CSV lists is taken from its row(s) only, not also as a file named bare or
    found in a folder (``calls/ calls/corpus.csv`` analyses each call once, as the CSV says).

    Raises
    ------
    InputError
        An input that is neither a file, a folder nor a matching glob; a malformed manifest
        CSV; or no recording at all.
    """
    requests: list[Request] = []
    for item in inputs:
        requests += _expand(item, options)
    real = {r.path: os.path.realpath(r.path) for r in requests}  # one file, however named
    listed = {real[r.path] for r in requests if r.where is not None}  # by a manifest row
    seen: set[tuple[str, str | None]] = set()
    unique: list[Request] = []
    for request in requests:
        key = (real[request.path], request.uri)
        if request.where is None and real[request.path] in listed:
            continue  # its manifest row(s) name it, with their uri and metadata
        if key not in seen:
            seen.add(key)
            unique.append(request)
    if not unique:
        raise InputError(f"no recordings or annotations found in {', '.join(inputs)} "
                         f"(media: {', '.join(sorted(MEDIA_EXTENSIONS))}; annotations: "
                         f"{', '.join(sorted(ANNOTATION_READERS))})")
    return unique


def _expand(item: str, options: AnalysisOptions) -> list[Request]:
    path = Path(item)
    if path.is_dir():
        return [_request(p, options) for p in _search(path, options)]
    if path.is_file():
        if is_manifest_csv(path):
            return read_manifest_csv(path, options)
        return [_request(path, options)]
    if _GLOB_CHARS & set(item):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError(f"{item}: no file matches this pattern")
        return [r for m in matches for r in _expand(m, options)]
    raise InputError(f"{item}: no such file or folder")


def _search(folder: Path, options: AnalysisOptions) -> list[Path]:
    """Recordings and annotations under ``folder``, recursively, in name order."""
    wanted = set(ANNOTATION_READERS)
    if options.input_format is None:
        wanted |= MEDIA_EXTENSIONS
    found = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not (entry / MARKER).exists():
                found += _search(entry, options)
        elif entry.suffix.lower() in wanted and (entry.is_file() or entry.is_symlink()):
            if not is_manifest_csv(entry):  # a manifest CSV is no recording: name it to use it
                found.append(entry)  # a broken link too: it fails, named, rather than vanish
    return found


def _request(path: Path, options: AnalysisOptions) -> Request:
    return Request(_absolute(path), kind_of(path, options), options)


def _absolute(path: Path) -> str:
    """``path`` made absolute without following symbolic links: a link keeps its own name (a
    git-annex or DataLad corpus links ``call_01.wav`` to ``.git/annex/objects/.../SHA256E-...``;
    its uri is ``call_01``)."""
    return os.path.abspath(path)


def is_manifest_csv(path: Path) -> bool:
    """Whether ``path`` is a ``.csv`` whose header has a ``path`` column (``,``, ``;`` or tab
    separated)."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = f.readline(1 << 16)
    except (OSError, UnicodeDecodeError):
        return False
    return _manifest_delimiter(header) is not None


def _manifest_delimiter(header: str) -> str | None:
    """The delimiter (``,``, ``;`` or tab: spreadsheets in many locales write ``;``) that makes
    ``header`` a manifest header, one with a ``path`` column; ``None``: none does."""
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter), [])
        except csv.Error:
            continue
        if "path" in (_column_name(c) for c in cells):
            return delimiter
    return None


def read_manifest_csv(path: str | Path, options: AnalysisOptions) -> list[Request]:
    """The recordings of a manifest CSV (see the module docstring).

    Raises
    ------
    FormatError
        ``corpus.csv:LINE: what is wrong``: a bad uri, speaker count, ``speakers`` or
        ``groups`` value, a uri given twice, an empty ``path``, or a metadata column whose
        name a table already uses.
    """
    path = Path(path)
    text = read_text(path)
    delimiter = _manifest_delimiter(text.split("\n", 1)[0]) or ","
    rows = csv_rows(path, text, delimiter)  # a quote left open is an error, not lost rows
    header = [_column_name(h) for h in rows[0][1]] if rows else []
    _check_header(path, header)
    requests: list[Request] = []
    uris: dict[str, int] = {}
    files: dict[str, int] = {}
    for number, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FormatError(path, f"expected {len(header)} fields, got {len(cells)}",
                              line=number)
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        request = _manifest_row(path, number, row, header, options)
        if request.uri is not None:
            if request.uri.lower() in uris:
                raise FormatError(path, f"uri {request.uri!r} given twice (also on line "
                                        f"{uris[request.uri.lower()]})", line=number)
            uris[request.uri.lower()] = number
        elif (real := os.path.realpath(request.path)) in files:
            raise FormatError(path, f"{row['path']} is listed twice without a uri (also on "
                                    f"line {files[real]}); give each row its own uri "
                                    "to analyse a file twice", line=number)
        else:
            files[real] = number
        requests.append(request)
    return requests


def _column_name(cell: str) -> str:
    """A header cell's column: the known ones in any case (``Path``, ``URI``, as
    spreadsheets are often typed), metadata as written (without surrounding spaces)."""
    name = cell.strip()
    return name.lower() if name.lower() in MANIFEST_COLUMNS else name


def _check_header(path: Path, header: list[str]) -> None:
    if "path" not in header:
        raise FormatError(path, "a manifest CSV needs a 'path' column", line=1)
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise FormatError(path, f"column(s) given twice: {', '.join(twice)}", line=1)
    reserved = reserved_columns() - set(MANIFEST_COLUMNS)
    for name in header:
        if not name:
            raise FormatError(path, "a column has no name", line=1)
        if name in reserved or name.startswith((GROUP_PREFIX, WORKING_PREFIX)):
            raise FormatError(path, f"metadata column {name!r} would clash with a table or "
                                    "manifest column of the store; rename it", line=1)


def _manifest_row(
    path: Path, number: int, row: dict[str, str], header: list[str], options: AnalysisOptions
) -> Request:
    def fail(message: str) -> FormatError:
        return FormatError(path, message, line=number)

    if not row["path"]:
        raise fail("empty path")
    file = Path(row["path"])
    file = Path(_absolute(file if file.is_absolute() else path.parent / file))
    uri = row.get("uri") or None
    if uri is not None:
        try:
            check_uri(uri)
        except ValueError as exc:
            raise fail(str(exc)) from None
    counts = {}
    for name in ("num_speakers", "min_speakers", "max_speakers"):
        value = row.get(name) or None
        if value is not None:
            if not value.isdigit() or int(value) < 1:
                raise fail(f"{name} must be a whole number >= 1, got {value!r}")
            counts[name] = int(value)
    own = replace(options, **counts)
    if row.get("speakers"):
        own = replace(own, speakers=row["speakers"], cast=None)
    if row.get("groups"):
        specs = tuple(s.strip() for s in row["groups"].split(";") if s.strip())
        own = replace(own, groups=options.groups + specs)
    _check_cast_values(own, fail)
    metadata = tuple((h, row[h]) for h in header if h not in MANIFEST_COLUMNS and row[h])
    return Request(str(file), kind_of(file, own), own, uri, metadata, f"{path}:{number}")


def _check_cast_values(options: AnalysisOptions, fail) -> None:  # noqa: ANN001
    from talkover.cast import Cast, parse_group_spec
    from talkover.diarize.clustering import check_speaker_counts

    try:
        if options.speakers:
            Cast.from_names(options.speakers)
        for spec in options.groups:
            parse_group_spec(spec)
        check_speaker_counts(options.num_speakers, options.min_speakers, options.max_speakers)
    except ConfigError as exc:
        raise fail(str(exc)) from None
