"""Analysis -> things people read: the text summary, the interactive HTML report (``report.html``)
and the static figure (``report.figure``); writers for ``-o`` in ``report.writers``."""

from talkover.report.text import format_summary, plain_language_summary

__all__ = ["format_summary", "plain_language_summary"]
