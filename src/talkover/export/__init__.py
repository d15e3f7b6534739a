"""Writers of analyses: an :class:`~talkover.analysis.Analysis` as talkover's JSON (and read
back), as annotation files (RTTM, TextGrid, EAF, CHAT, WebVTT/SRT) and as CSV tables.

The ``-o`` registry that picks one by extension is :mod:`talkover.outputs`; the readers of
annotations are in :mod:`talkover.formats`.
"""
