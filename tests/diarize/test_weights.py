from __future__ import annotations

import shutil

import pytest

from talkover.diarize import weights
from talkover.errors import ModelError

ALL = (weights.SEGMENTATION_CHECKPOINT, weights.SEGMENTATION_CONFIG, weights.EMBEDDING_CHECKPOINT)


@pytest.mark.parametrize("weight", ALL, ids=lambda w: w.relative_path.rsplit("/", 1)[-1])
def test_packaged_weights_match_their_sha256(weight):
    path = weights.locate(weight)
    assert path.is_file() and path.stat().st_size > 0


def test_corrupted_copy_is_refused_naming_the_file(tmp_path):
    source = weights.locate(weights.SEGMENTATION_CONFIG)
    copy = tmp_path / "config.yaml"
    shutil.copy(source, copy)
    weights.verify(copy, weights.SEGMENTATION_CONFIG.sha256)
    copy.write_bytes(copy.read_bytes() + b"\n# tampered\n")
    with pytest.raises(ModelError, match=r"config\.yaml: sha256 .* does not match") as info:
        weights.verify(copy, weights.SEGMENTATION_CONFIG.sha256)
    assert "reinstall" in str(info.value)


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ModelError, match="model file not found; reinstall"):
        weights.verify(tmp_path / "nope.bin", "0" * 64)


def test_missing_package_is_a_model_error():
    ghost = weights.WeightFile("no_such_package_xyz", "m.bin", "0" * 64, "MIT")
    with pytest.raises(ModelError, match="not installed"):
        weights.locate(ghost)
