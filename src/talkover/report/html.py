"""Analysis -> one self-contained, interactive HTML report.

The page needs no server and no network: its CSS, JavaScript and data are inline, and the
recording is embedded (compressed) or linked by relative path (see :mod:`talkover.report.media`).
It shows the plain-language summary, a zoomable canvas timeline with one lane per speaker
(click to hear a moment from 2 s before it), the who-over-whom heatmap, a sortable speaker table,
a filterable event list, the thresholds used and the talkover version.

The data block is the talkover JSON (:func:`talkover.formats.json.analysis_to_dict`) with the
overlapped stretches and the summary added, so the page shows exactly what ``-o x.json`` writes.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.export.json import analysis_to_dict
from talkover.report.media import ReportMedia, prepare_media
from talkover.report.text import plain_language_summary, trust_lines

__all__ = ["write_html_report", "render_html_report", "render_page", "report_data",
           "summary_lines"]


def report_data(analysis: Analysis) -> dict[str, Any]:
    """The data the page renders: the JSON document plus overlaps and the summary."""
    data = analysis_to_dict(analysis)
    data.pop("turns", None)  # the page does not draw turns; keeps hour-long reports small
    data["overlaps"] = [
        [round(s.start_s, 3), round(s.end_s, 3)] for s in analysis.timeline.overlap_spans()
    ]
    data["summary"] = summary_lines(analysis)
    data["title"] = analysis.timeline.uri if analysis.input_path is None else Path(
        analysis.input_path
    ).stem
    return data


def summary_lines(analysis: Analysis) -> list[str]:
    """The page's summary: the plain-language sentences and how far to trust the counts."""
    return plain_language_summary(analysis, max_pairs=6) + _trust(analysis)


def _trust(analysis: Analysis) -> list[str]:
    """One sentence on how far counts found from audio can be trusted (none for annotations)."""
    lines = trust_lines(analysis, where="each event below shows its confidence")
    if not lines:
        return []
    text = " ".join(line.strip() for line in lines)
    return [text[0].upper() + text[1:] + "."]


def _asset(name: str) -> str:
    return resources.files("talkover.report").joinpath("assets", name).read_text(encoding="utf-8")


def _script_json(value: object) -> str:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can close or open anything."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html_report(analysis: Analysis, media: ReportMedia) -> str:
    """The report page as a string, for a recording already prepared by :func:`prepare_media`."""
    data = report_data(analysis)
    data["media"] = {"mode": media.mode, "note": media.note, "size_bytes": media.size_bytes}
    audio = ""
    if media.src is not None:
        mime = f' type="{media.mime}"' if media.mime else ""
        audio = (
            f'<audio id="audio" controls preload="auto" aria-label="Recording">'
            f'<source src="{html.escape(media.src, quote=True)}"{mime}></audio>'
        )
    return render_page(data, version=analysis.talkover_version, audio_html=audio)


def render_page(
    data: dict[str, Any],
    *,
    version: str,
    audio_html: str = "",
    tools_html: str = "",
    extra_css: str = "",
    extra_js: str = "",
) -> str:
    """The report page for ``data`` (:func:`report_data` plus ``media``).

    The static report uses it as it is; ``talkover serve`` adds its review tools (markup under
    the title, a stylesheet and a script run after the report's own), so both show the same
    page.
    """
    summary = "\n".join(f"<li>{html.escape(line)}</li>" for line in data["summary"])
    page = _asset("report.html")
    replacements = {
        "__TITLE__": html.escape(str(data["title"])),
        "__VERSION__": html.escape(version),
        "__SUMMARY__": summary,
        "__AUDIO__": audio_html,
        "<!--__TOOLS__-->": tools_html,
        "/*__CSS__*/": _asset("report.css") + extra_css,
        "/*__JS__*/": _asset("report.js"),
        "/*__EXTRA_JS__*/": extra_js,
        "__DATA__": _script_json(data),
    }
    # One pass over the template only: inserted text is never scanned for placeholders.
    pattern = "|".join(re.escape(key) for key in replacements)
    return re.sub(pattern, lambda m: replacements[m.group(0)], page)


def write_html_report(
    analysis: Analysis,
    path: str | Path,
    *,
    media: str | Path | None = None,
    link_media: bool = False,
) -> None:
    """Write the interactive report of ``analysis`` to ``path``.

    Parameters
    ----------
    analysis
        The analysis to show.
    path
        The ``.html`` file to write.
    media
        The recording to play; defaults to ``analysis.media_path`` (none: a report without
        sound).
    link_media
        Reference the recording by a path relative to the report instead of embedding it.
        Recordings whose compressed audio exceeds :data:`~talkover.report.media.MAX_EMBED_BYTES`
        are always linked.

    Raises
    ------
    DecodeError
        The recording is missing or cannot be decoded.
    """
    path = Path(path)
    source = str(media) if media is not None else analysis.media_path
    prepared = prepare_media(source, path, duration_s=analysis.duration_s, link=link_media)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html_report(analysis, prepared), encoding="utf-8")
