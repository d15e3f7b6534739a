"""Where a speaker timeline came from: the stamp its producer puts on it.

Each producer of a :class:`~talkover.timeline.SpeakerTimeline` stamps what it made: an
annotation reader the file it read (name, sha256, format), the diarizer the recording, its
configuration and the checksums of the models it ran, the multichannel pipeline its tracks and
settings. The stamp rides on the timeline (``SpeakerTimeline.provenance``) into the
:class:`~talkover.analysis.Analysis` and its JSON, so a result says what it was made from and
how, and whether its events can be assessed (only talkover's own diarization gets calibrated
``confidence``).

>>> p = Provenance("annotation", uri="call", inputs=(InputFile("call.rttm", "ab12", "rttm"),))
>>> p.kind, p.uri, p.inputs[0].format
('annotation', 'call', 'rttm')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from talkover._version import __version__

__all__ = ["SourceKind", "SOURCE_KINDS", "InputFile", "Provenance", "Setting"]

#: What a timeline is made from:
#:
#: - ``annotation``: a diarization or annotation file without text (RTTM, TextGrid...), taken
#:   as true;
#: - ``transcript``: an annotation file that carries what was said (WhisperX, CHAT, subtitles,
#:   any format with text), taken as true, its words refine the events;
#: - ``audio``: talkover's diarizer on a recording (events get a calibrated ``confidence``);
#: - ``multichannel``: voice activity per microphone or track, one speaker each;
#: - ``timeline``: built in memory, origin unknown (taken as true).
SourceKind = Literal["annotation", "transcript", "audio", "multichannel", "timeline"]
SOURCE_KINDS: tuple[SourceKind, ...] = get_args(SourceKind)

#: One setting of the producer: ``(name, value)`` with a JSON-ready scalar value.
Setting = tuple[str, "float | int | bool | str | None"]


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file a timeline was made from.

    Attributes
    ----------
    name
        The file's name as given (its path when it was given as one).
    sha256
        Hex digest of its bytes (``None`` when the file could not be read: a waveform built in
        memory that names a path).
    format
        The reader's format name (``rttm``, ``whisperx``, ``textgrid``...) or, for media,
        the container's extension (``flac``, ``mp4``...); ``None`` when unknown.
    """

    name: str
    sha256: str | None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """The stamp of a timeline's producer.

    Attributes
    ----------
    kind
        One of :data:`SOURCE_KINDS`.
    uri
        The recording's name (file stem by default), unique within a corpus.
    inputs
        The files read, in order (one per track for multichannel input; none in memory).
    settings
        The producer's configuration as ``(name, value)`` pairs (kept sorted): the diarizer's
        :class:`~talkover.diarize.DiarizationConfig` and speaker counts, or the multichannel
        settings; empty for annotations.
    models
        ``(model, sha256)`` of every model that ran (the diarizer's segmentation and
        embedding, the VAD of multichannel input).
    talkover_version
        The version that produced the timeline.
    """

    kind: SourceKind
    uri: str = "recording"
    inputs: tuple[InputFile, ...] = ()
    settings: tuple[Setting, ...] = ()
    models: tuple[tuple[str, str], ...] = ()
    talkover_version: str = __version__

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(SOURCE_KINDS)}, got {self.kind!r}")
        object.__setattr__(self, "settings", tuple(sorted(self.settings)))

    @classmethod
    def with_settings(
        cls, kind: SourceKind, settings: Mapping[str, Any], **fields: Any
    ) -> Provenance:
        """A stamp whose ``settings`` come from a mapping (sorted by name; tuples and other
        non-scalar values written as their ``repr``)."""
        pairs = tuple(sorted((k, _scalar(v)) for k, v in settings.items()))
        return cls(kind, settings=pairs, **fields)

    @property
    def assessed(self) -> bool:
        """Whether events found on this timeline get a calibrated ``confidence`` (talkover's
        diarizer only: :mod:`talkover.events.confidence` was fitted on its output)."""
        return self.kind == "audio"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``settings`` and ``models`` as objects)."""
        return {
            "kind": self.kind,
            "uri": self.uri,
            "inputs": [
                {"name": f.name, "sha256": f.sha256, "format": f.format} for f in self.inputs
            ],
            "settings": dict(self.settings),
            "models": dict(self.models),
            "talkover_version": self.talkover_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        """Inverse of :meth:`to_dict`.

        Raises
        ------
        ValueError
            A field is missing or of the wrong type (the caller names the file).
        """
        try:
            inputs = tuple(
                InputFile(str(f["name"]), f.get("sha256"), f.get("format"))
                for f in data.get("inputs") or ()
            )
            return cls(
                data["kind"],
                uri=str(data.get("uri", "recording")),
                inputs=inputs,
                settings=_pairs(data.get("settings")),
                models=tuple((str(k), str(v)) for k, v in (data.get("models") or {}).items()),
                talkover_version=str(data.get("talkover_version", __version__)),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"expected a provenance object ({exc})") from None


def _scalar(value: Any) -> float | int | bool | str | None:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _pairs(settings: Any) -> tuple[Setting, ...]:
    return tuple(sorted((str(k), v) for k, v in (settings or {}).items()))
