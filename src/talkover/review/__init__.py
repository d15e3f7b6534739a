"""Review and correction of an analysis: typed edits of its timeline and verdicts on its
events, an append-only edit log with undo and redo, the corrected version recomputed by the
library after every edit, a diff against the automatic version, and exports.

No web code here: ``talkover serve`` (:mod:`talkover.web`) is one user of this package.

>>> from talkover.analysis import analyze_timeline
>>> from talkover.timeline import SpeakerTimeline
>>> review = Review(analyze_timeline(SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])))
>>> [e.type for e in review.apply(MoveBoundary(SegmentRef("A", 0, 5), "end", 4.3)).events]
['overlap']
"""

from talkover.review.diff import AnalysisDiff, diff_analyses
from talkover.review.edits import (
    EDIT_TYPES,
    AddSegment,
    DeleteSegment,
    Edit,
    EditError,
    EventRef,
    MergeSpeakers,
    MoveBoundary,
    ReassignSegment,
    Redo,
    RenameSpeaker,
    SegmentRef,
    SetVerdict,
    SplitSegment,
    StaleEditError,
    Undo,
    Verdict,
    edit_to_dict,
    parse_edit,
)
from talkover.review.log import EditLog, LogEntry, effective_edits
from talkover.review.recompute import ReviewedAnalysis, recompute
from talkover.review.session import QueueItem, Review, ReviewDiff
from talkover.review.state import ReviewState, apply_edit

__all__ = [
    "Review",
    "ReviewDiff",
    "ReviewedAnalysis",
    "ReviewState",
    "QueueItem",
    "recompute",
    "apply_edit",
    "diff_analyses",
    "AnalysisDiff",
    "EditLog",
    "LogEntry",
    "effective_edits",
    "Edit",
    "EditError",
    "StaleEditError",
    "EDIT_TYPES",
    "parse_edit",
    "edit_to_dict",
    "SegmentRef",
    "EventRef",
    "Verdict",
    "RenameSpeaker",
    "MergeSpeakers",
    "ReassignSegment",
    "MoveBoundary",
    "SplitSegment",
    "DeleteSegment",
    "AddSegment",
    "SetVerdict",
    "Undo",
    "Redo",
]
