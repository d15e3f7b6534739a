"""Scoring a whole corpus: reference and hypothesis files paired by uri, scored one by one and
pooled.

Pooled scores add the components of every file (seconds of missed speech, false alarm and
confusion over seconds of reference speech for DER, as pyannote.metrics accumulates them;
overlapped seconds; matched events), so a pooled rate is that of the corpus taken as one
recording, not a mean of per-file rates.

A folder is searched recursively for annotation files; a file's uri is its stem. (The CLI
also takes a store as the hypothesis: each done recording's Analysis JSON under its uri.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from talkover.config import EventConfig
from talkover.errors import InputError
from talkover.evaluation.evaluate import evaluate
from talkover.evaluation.result import EvaluationResult
from talkover.formats import ANNOTATION_READERS, read_annotation

__all__ = ["FileScore", "CorpusEvaluation", "annotation_files", "evaluate_corpus"]


@dataclass(frozen=True, slots=True)
class FileScore:
    """One recording's scores: its uri, the two files and the result."""

    uri: str
    reference: str
    hypothesis: str
    result: EvaluationResult


@dataclass(frozen=True, slots=True)
class CorpusEvaluation:
    """Per-file and pooled scores of a corpus.

    Attributes
    ----------
    files
        The recordings with both a reference and a hypothesis, by uri.
    pooled
        Their components summed (``num_files`` of them).
    missing_hypothesis
        Uris with a reference but no hypothesis (not scored).
    missing_reference
        Uris with a hypothesis but no reference (not scored).
    failed
        ``(uri, error)`` of pairs that could not be read.
    """

    files: tuple[FileScore, ...]
    pooled: EvaluationResult
    missing_hypothesis: tuple[str, ...] = ()
    missing_reference: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()


def annotation_files(folder: str | Path) -> dict[str, str]:
    """``{uri: path}`` of the annotation files under ``folder`` (recursive; hidden files and
    folders skipped).

    Raises
    ------
    InputError
        Two files with the same stem (the message names both), or not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: is not a folder")
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if hidden or path.suffix.lower() not in ANNOTATION_READERS or not path.is_file():
            continue
        if path.stem in found:
            raise InputError(f"{folder}: two files for recording {path.stem!r}: "
                             f"{found[path.stem]} and {path}; keep one per uri")
        found[path.stem] = str(path)
    return found


def evaluate_corpus(
    references: Mapping[str, str],
    hypotheses: Mapping[str, str],
    *,
    config: EventConfig | None = None,
    onset_tolerance_s: float = 1.0,
) -> CorpusEvaluation:
    """Score every uri found in both ``references`` and ``hypotheses`` (``{uri: path}``)."""
    files, failed = [], []
    for uri in sorted(set(references) & set(hypotheses)):
        try:
            result = evaluate(read_annotation(references[uri]), read_annotation(hypotheses[uri]),
                              config=config, onset_tolerance_s=onset_tolerance_s)
        except InputError as exc:
            failed.append((uri, str(exc)))
            continue
        files.append(FileScore(uri, references[uri], hypotheses[uri], result))
    return CorpusEvaluation(
        files=tuple(files),
        pooled=EvaluationResult.pooled(f.result for f in files),
        missing_hypothesis=tuple(sorted(set(references) - set(hypotheses))),
        missing_reference=tuple(sorted(set(hypotheses) - set(references))),
        failed=tuple(failed),
    )
