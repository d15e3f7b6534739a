"""What an uploaded file is, decided by reading it (never by the name the browser sent).

Text is matched against each annotation format's signature (a talkover or WhisperX JSON
document, a Praat TextGrid, an ELAN document, CHAT, WebVTT, RTTM lines, SRT cues, a CSV with
start and end columns); anything else is a recording for PyAV to probe. A recording PyAV
cannot open is still queued as one: its job then fails with the decoder's own reason, which
the page shows; text in no format talkover reads is ``format="text"`` (the upload is refused,
naming the formats it could have been). The extension the file is stored under comes from
what was found, so that the library's readers (chosen by extension) read what the sniffing
saw.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d) / "upload"
...     _ = p.write_text("SPEAKER call 1 0.0 2.5 <NA> <NA> A <NA> <NA>\\n")
...     found = sniff_file(p)
>>> found.kind, found.extension, found.format
('annotation', '.rttm', 'rttm')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Sniffed", "sniff_file", "probe_media", "ANNOTATION_FORMATS"]

#: What an annotation can be, as messages say it.
ANNOTATION_FORMATS = ("RTTM, a Praat TextGrid, ELAN (.eaf), CHAT (.cha), WebVTT, SRT, a CSV with "
                      "start and end columns, or talkover or WhisperX JSON")

HEAD_BYTES = 64 * 1024

_SRT = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d\d:\d\d[,.]\d{1,3}\s*-->", re.M)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """``kind`` (what the batch worker does with it), the ``extension`` to store it under, the
    ``format`` found, and for recordings whether a browser plays the file as it is
    (``playable``, with its ``mime`` type) and whether PyAV found a sound track in it
    (``has_audio``: false for a file it cannot open)."""

    kind: Literal["audio", "annotation"]
    extension: str
    format: str
    playable: bool = False
    mime: str | None = None
    has_audio: bool = False


def sniff_file(path: str | Path) -> Sniffed:
    """Read the start of ``path`` and say what it is (see the module doc)."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    text = _as_text(head)
    if text is not None:
        found = _annotation(text)
        if found is not None:
            return Sniffed("annotation", f".{found}" if found != "textgrid" else ".TextGrid",
                           found)
    media = probe_media(path)
    if text is not None and media.format == "unknown":  # text, but no format talkover reads
        return Sniffed("audio", ".txt", "text")
    return media


def _as_text(head: bytes) -> str | None:
    """The head as text when it is UTF-8 (or UTF-16 with a BOM) without NUL characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if not head.strip() or b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut at the end of the head
            return head[: exc.start].decode("utf-8")
        return None


def _annotation(text: str) -> str | None:
    body = text.lstrip("\ufeff").lstrip()
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    if body.startswith(("{", "[")):
        return "json"
    if "ooTextFile" in text[:200] or first.startswith('File type = "ooTextFile'):
        return "textgrid"
    if "<ANNOTATION_DOCUMENT" in text:
        return "eaf"
    if first.startswith(("@UTF8", "@Begin")):
        return "cha"
    if first.startswith("WEBVTT"):
        return "vtt"
    # RTTM: the first line that is not a comment (the reader skips `;;` and `#` lines)
    data = next((line.strip() for line in body.splitlines()
                 if line.strip() and not line.lstrip().startswith((";", "#"))), "")
    fields = data.split()
    if len(fields) >= 9 and fields[0] in ("SPEAKER", "SPKR-INFO", "LEXEME", "NON-SPEECH"):
        return "rttm"
    if _SRT.match(body):
        return "srt"
    header = [c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)]
    if len(header) >= 2 and any(c.startswith("start") for c in header) and any(
        c.startswith("end") for c in header
    ):
        return "csv"
    return None


#: Containers and audio codecs Chromium, Firefox and Safari play in an <audio> element.
_PLAYABLE = {
    "wav": ("audio/wav", None),
    "flac": ("audio/flac", None),
    "mp3": ("audio/mpeg", None),
    "ogg": ("audio/ogg", {"vorbis", "opus", "flac"}),
    "matroska,webm": ("audio/webm", {"vorbis", "opus"}),
    "mov,mp4,m4a,3gp,3g2,mj2": ("audio/mp4", {"aac", "mp3", "alac", "flac", "opus"}),
    "aac": ("audio/aac", None),
}
_EXTENSIONS = {
    "wav": ".wav", "flac": ".flac", "mp3": ".mp3", "ogg": ".ogg", "matroska,webm": ".mkv",
    "mov,mp4,m4a,3gp,3g2,mj2": ".mp4", "aac": ".aac", "avi": ".avi", "asf": ".wma",
    "aiff": ".aiff", "caf": ".caf", "amr": ".amr", "wv": ".wv", "ape": ".ape",
}


def probe_media(path: str | Path) -> Sniffed:
    """A recording: its container (by PyAV) and whether a browser plays it as it is. A file
    PyAV cannot open is a recording of unknown format (``.bin``): its job will fail with the
    decoder's reason."""
    import av

    try:
        with av.open(str(path)) as container:
            name = container.format.name
            audio = [s for s in container.streams if s.type == "audio"]
            codec = audio[0].codec_context.name if audio else None
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        return Sniffed("audio", ".bin", "unknown")
    if not audio:
        return Sniffed("audio", _EXTENSIONS.get(name, ".bin"), name)
    mime, codecs = _PLAYABLE.get(name, (None, set()))
    playable = mime is not None and (codecs is None or codec in codecs)
    if name == "matroska,webm" and codec in ("vorbis", "opus"):
        extension = ".webm"
    else:
        extension = _EXTENSIONS.get(name, ".bin")
    return Sniffed("audio", extension, name, playable, mime if playable else None, True)
