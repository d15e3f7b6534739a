"""Overlap-aware speaker diarization: Waveform -> SpeakerTimeline.

>>> from talkover.diarize import Diarizer, DiarizationConfig  # doctest: +SKIP

The names below load on first use, so importing a light submodule (``talkover.diarize.weights``)
does not import torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from talkover.diarize.pipeline import DiarizationConfig, Diarizer, ProgressCallback

__all__ = ["DiarizationConfig", "Diarizer", "ProgressCallback"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from talkover.diarize import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
