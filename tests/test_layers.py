"""The import graph follows the data flow: no module imports a later stage.

A recording travels through the stages in this order; a module may import its own stage and
earlier ones, never a later one (imports inside functions and ``TYPE_CHECKING`` blocks count
too: a lazy import is still a dependency). The shells (CLI, batch, web, live, testing) come
last and may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "talkover"

#: The stages in data-flow order (a module belongs to the longest matching prefix).
STAGES: tuple[tuple[str, ...], ...] = (
    ("talkover._moved", "talkover._version", "talkover.errors", "talkover.files",
     "talkover.optional"),
    ("talkover.provenance", "talkover.timeline", "talkover.config"),
    ("talkover.io",),
    ("talkover.formats",),
    ("talkover.diarize", "talkover.multichannel", "talkover.cleanup", "talkover.pipeline",
     "talkover.voices", "talkover.cast"),
    ("talkover.units",),
    ("talkover.events",),
    ("talkover.turns",),
    ("talkover.detection",),
    ("talkover.metrics",),
    ("talkover.tables",),
    ("talkover.analysis",),
    ("talkover.sources",),
    ("talkover.export",),
    ("talkover.report",),
    ("talkover.outputs",),
    ("talkover.evaluation",),
)
#: Shells: they parse, call the library and write; nothing in the library imports them.
SHELLS = ("talkover.cli", "talkover.store", "talkover.batch", "talkover.corpus", "talkover.web",
          "talkover.live", "talkover.review", "talkover.testing", "talkover.__init__",
          "talkover.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 2:
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> int | None:
    """The stage index, len(STAGES) for a shell, None for a module no stage names."""
    best, rank = -1, None
    for i, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    if any(module == s or module.startswith(s + ".") for s in SHELLS):
        return len(STAGES)
    return rank


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in out if name.split(".")[0] == "talkover"]


MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_has_a_stage() -> None:
    missing = [module_name(p) for p in MODULES if stage_of(module_name(p)) is None]
    assert not missing, f"add these to STAGES or SHELLS: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    here = stage_of(module_name(path))
    if here is None or here == len(STAGES):
        return
    later = [
        f"line {line}: {name} (stage {stage_of(name)} > {here})"
        for line, name in imports_of(path)
        if (stage_of(name) or 0) > here
    ]
    assert not later, f"{module_name(path)} imports a later stage: {later}"


def test_the_library_never_imports_a_shell() -> None:
    offenders = [
        f"{module_name(p)} line {line}: {name}"
        for p in MODULES
        if stage_of(module_name(p)) != len(STAGES)
        for line, name in imports_of(p)
        if stage_of(name) == len(STAGES)
    ]
    assert not offenders


def test_importing_talkover_loads_no_model_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, talkover, talkover.sources, talkover.outputs\n"
        "heavy = {'torch', 'matplotlib', 'pandas', 'praatio', 'pympi', 'webvtt', 'srt'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_talkover_works_without_the_format_libraries() -> None:
    import subprocess
    import sys
    import tempfile

    code = (
        "import sys\n"
        "for name in ('praatio', 'pympi', 'webvtt', 'srt'): sys.modules[name] = None\n"
        "import talkover\n"
        "from talkover.cli.main import main\n"
        "sys.exit(main(['analyze', *sys.argv[1:]]))"
    )
    fixture = Path(__file__).parent / "formats" / "fixtures" / "praat_long.TextGrid"
    # TextGrid, ELAN and WebVTT are parsed by talkover itself; writing them needs the library
    proc = subprocess.run([sys.executable, "-c", code, str(fixture)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "out.TextGrid")
        proc = subprocess.run([sys.executable, "-c", code, str(fixture), "-o", out],
                              capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "writing .TextGrid needs the package praatio: pip install praatio" in proc.stderr
    rttm = Path(__file__).parents[1] / "data" / "samples" / "pyannote_sample_call.rttm"
    proc = subprocess.run([sys.executable, "-c", code, str(rttm)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
