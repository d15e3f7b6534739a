from __future__ import annotations

from pathlib import Path

import pytest

from talkover.testing import cases
from talkover.testing.cases import SHARED_REAL_ENV, real_cases, shared_real_root


def test_the_environment_names_the_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(SHARED_REAL_ENV, str(tmp_path))
    assert shared_real_root() == tmp_path


def test_without_a_checkout_beside_it_the_current_directory_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SHARED_REAL_ENV, raising=False)
    installed = tmp_path / "venv" / "lib" / "talkover" / "testing" / "cases.py"
    monkeypatch.setattr(cases, "__file__", str(installed))  # as in a non-editable install
    repo = tmp_path / "work" / "repo"
    repo.mkdir(parents=True)
    monkeypatch.chdir(repo)
    assert shared_real_root() == tmp_path / "work" / "shared" / "bench" / "real"


def test_real_cases_are_folders_holding_their_rttm(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "b.rttm").write_text("")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "a.rttm").write_text("")
    (tmp_path / "no_rttm").mkdir()
    assert [p.name for p in real_cases(tmp_path)] == ["a", "b"]
    assert real_cases(tmp_path / "absent") == []
