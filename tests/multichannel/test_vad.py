"""Silero VAD weights: located in the installed wheel, verified by sha256, run per channel."""

from __future__ import annotations

import numpy as np
import pytest

from talkover.errors import ModelError
from talkover.multichannel.vad import (
    SILERO_VAD_WEIGHTS,
    VAD_WINDOW_SAMPLES,
    VadWeights,
    locate_vad_weights,
    speech_probabilities,
)


def test_packaged_weights_verify() -> None:
    path = locate_vad_weights()
    assert path.name == "silero_vad.jit" and path.is_file()


def test_wrong_digest_missing_file_and_missing_package_are_model_errors() -> None:
    wrong = VadWeights(
        SILERO_VAD_WEIGHTS.package, SILERO_VAD_WEIGHTS.relative_path, "0" * 64, "MIT"
    )
    with pytest.raises(ModelError, match="does not match"):
        locate_vad_weights(wrong)
    missing = VadWeights(SILERO_VAD_WEIGHTS.package, "data/no_such_model.jit", "0" * 64, "MIT")
    with pytest.raises(ModelError, match="not found"):
        locate_vad_weights(missing)
    with pytest.raises(ModelError, match="not installed"):
        locate_vad_weights(VadWeights("no_such_package_xyz", "m.jit", "0" * 64, "MIT"))


@pytest.mark.slow
def test_probabilities_shape_and_silence() -> None:
    samples = np.zeros((2, 3 * 16000 + 100), dtype=np.float32)
    probs = speech_probabilities(samples)
    assert probs.shape == (2, -(-samples.shape[1] // VAD_WINDOW_SAMPLES))
    assert probs.max() < 0.2
    assert speech_probabilities(np.zeros((2, 0), dtype=np.float32)).shape == (2, 0)
