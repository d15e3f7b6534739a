"""build_conversation(): a seeded synthetic conversation from real voices, with its answers.

>>> conv = build_conversation(bank, seed=0, num_speakers=3, duration_s=45)  # doctest: +SKIP
>>> conv.write("out/")  # out/synth_0000_3spk.{wav,rttm,events.json}  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from talkover.config import EventConfig
from talkover.formats.rttm import write_rttm
from talkover.io.waveform import SAMPLE_RATE_HZ, Waveform
from talkover.testing.synth.plan import EventMix, Placement, plan_conversation
from talkover.testing.synth.render import render, write_wav
from talkover.testing.timeline_builder import PlantedEvent
from talkover.testing.voices import VoiceBank
from talkover.timeline import SpeakerTimeline

__all__ = ["SyntheticConversation", "build_conversation", "write_set"]


@dataclass(frozen=True, slots=True, eq=False)
class SyntheticConversation:
    """A synthetic recording with its reference timeline and the events planted in it.

    Attributes
    ----------
    uri
        Name of the recording (file stem and RTTM file-id).
    samples
        Shape ``(num_samples,)``, float32 at 16 kHz.
    timeline
        The reference: one segment per clip, from its first to its last speech (seconds);
        ``duration_s`` is the audio's length.
    planted
        The events the definitions give on ``timeline`` under ``config``, in time order.
    placements
        Which clip went where, at what gain, cut off or not (one per segment).
    """

    uri: str
    samples: np.ndarray
    timeline: SpeakerTimeline
    planted: tuple[PlantedEvent, ...]
    placements: tuple[Placement, ...]
    seed: int
    config: EventConfig

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE_HZ

    @property
    def waveform(self) -> Waveform:
        return Waveform(self.samples, SAMPLE_RATE_HZ, path=None)

    def to_dict(self) -> dict[str, Any]:
        """The planted events and clip provenance, as written to ``<uri>.events.json``."""
        return {
            "uri": self.uri,
            "seed": self.seed,
            "duration_s": round(self.duration_s, 3),
            "config": self.config.to_dict(),
            "speakers": list(self.timeline.speakers),
            "events": [
                {"type": e.type, "start_s": round(e.start_s, 3), "by": e.by, "of": e.of}
                for e in self.planted
            ],
            "clips": [
                {
                    "speaker": p.speaker,
                    "start_s": round(p.start_s, 3),
                    "end_s": round(p.end_s, 3),
                    "source": p.clip.source,
                    "cut_off": p.truncated,
                    "gain_db": round(p.gain_db, 2),
                }
                for p in self.placements
            ],
        }

    def write(self, folder: str | Path) -> tuple[Path, Path, Path]:
        """Write ``<uri>.wav`` (16-bit, 16 kHz), ``<uri>.rttm`` and ``<uri>.events.json``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        wav, rttm = folder / f"{self.uri}.wav", folder / f"{self.uri}.rttm"
        events = folder / f"{self.uri}.events.json"
        write_wav(self.samples, wav)
        write_rttm(self.timeline, rttm)
        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"
        events.write_text(text, encoding="utf-8")
        return wav, rttm, events


def build_conversation(
    voice_bank: VoiceBank,
    *,
    seed: int,
    num_speakers: int = 2,
    duration_s: float = 60.0,
    event_mix: EventMix | None = None,
    config: EventConfig | None = None,
    level_spread_db: float = 6.0,
    noise_dbfs: float | None = -60.0,
    uri: str | None = None,
) -> SyntheticConversation:
    """Assemble a conversation of about ``duration_s`` seconds from real voices.

    Parameters
    ----------
    voice_bank
        From :func:`~talkover.testing.voices.load_voice_bank`.
    seed
        The same seed (and bank) gives the same samples, timeline and events.
    num_speakers
        2 to 4 voices, drawn from the bank's voices with enough long clips.
    duration_s
        Target length; the last unit ends within a few seconds of it.
    event_mix
        Relative frequencies of the planted events (default :class:`EventMix`).
    config
        Thresholds the plan keeps clear of (margins of 0.1-0.5 s around each); the planted
        events are those ``analyze_timeline(timeline, config=config)`` finds.
    level_spread_db
        Speakers' speech levels spread uniformly over this range around -24 dBFS (each clip
        varies a further +-1.5 dB).
    noise_dbfs
        RMS level of added white noise; ``None`` for none.
    """
    if not 2 <= num_speakers <= 4:
        raise ValueError(f"num_speakers must be 2 to 4, got {num_speakers}")
    if duration_s < 10:
        raise ValueError(f"duration_s must be at least 10 s, got {duration_s}")
    config = config or EventConfig()
    rng = np.random.default_rng(seed)
    builder, placements = plan_conversation(
        voice_bank,
        rng=rng,
        num_speakers=num_speakers,
        duration_s=duration_s,
        config=config,
        event_mix=event_mix or EventMix(),
        level_spread_db=level_spread_db,
    )
    uri = uri or f"synth_{seed:04d}_{num_speakers}spk"
    end = builder.timeline(tail_s=round(float(rng.uniform(0.5, 1.0)), 3)).end_s
    num_samples = int(round(end * SAMPLE_RATE_HZ))
    timeline = SpeakerTimeline(
        tuple(builder.segments), duration_s=num_samples / SAMPLE_RATE_HZ, uri=uri
    )
    samples = render(placements, num_samples=num_samples, rng=rng, noise_dbfs=noise_dbfs)
    planted = tuple(sorted(builder.planted, key=lambda e: (e.start_s, e.by)))
    return SyntheticConversation(uri, samples, timeline, planted, placements, seed, config)


def write_set(
    voice_bank: VoiceBank,
    folder: str | Path,
    *,
    count: int,
    first_seed: int,
    duration_s: float = 60.0,
    num_speakers: int | None = None,
    on_write: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Write ``count`` conversations and their ``index.json`` into ``folder``; return its rows.

    Conversation ``i`` gets seed ``first_seed + i`` and ``num_speakers`` speakers (default 2, 3,
    4, 2, ...). Each row names the conversation's files (in ``folder``) and gives its speaker
    count, length (seconds) and number of planted events. ``on_write`` is called with each row
    as its files are written.
    """
    folder = Path(folder)
    rows = []
    for i in range(count):
        n = num_speakers or 2 + i % 3
        conv = build_conversation(voice_bank, seed=first_seed + i, num_speakers=n,
                                  duration_s=duration_s)
        wav, rttm, events = conv.write(folder)
        rows.append({"uri": conv.uri, "wav": wav.name, "rttm": rttm.name, "events": events.name,
                     "num_speakers": n, "duration_s": round(conv.duration_s, 3),
                     "planted": len(conv.planted)})
        if on_write is not None:
            on_write(rows[-1])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return rows
