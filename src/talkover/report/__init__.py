"""Analysis -> things people read: the text summary (HTML and figures come later)."""

from talkover.report.text import format_summary, plain_language_summary

__all__ = ["format_summary", "plain_language_summary"]
