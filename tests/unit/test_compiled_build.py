"""The optional compiled build (scripts/compile_extract.py) is used only while it matches the sources.

The checks run on a scratch copy of a package directory with stand-in extension files: what is
tested is the decision to import them or the sources, which needs no compiler.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from streams.extract import _compiled_build_ok

SO = ".cpython-311-x86_64-linux-gnu.so"


def _package(tmp_path: Path, sources: dict[str, str], compiled: list[str], stamp: dict[str, str] | None) -> Path:
    for name, text in sources.items():
        (tmp_path / f"{name}.py").write_text(text)
    for name in compiled:
        (tmp_path / f"{name}{SO}").write_bytes(b"\x7fELF")
        (tmp_path / f"{name}__mypyc{SO}").write_bytes(b"\x7fELF")
    if stamp is not None:
        (tmp_path / "_compiled.txt").write_text(
            "".join(f"{m} {hashlib.sha256(t.encode()).hexdigest()}\n" for m, t in stamp.items())
        )
    return tmp_path


@pytest.mark.parametrize(
    ("sources", "compiled", "stamp", "expected"),
    [
        # No compiled module: plain Python, nothing to decide.
        ({"places": "A = 1\n", "dates": "B = 2\n"}, [], None, (True, set())),
        # Built from exactly these sources: the compiled modules are used.
        ({"places": "A = 1\n", "dates": "B = 2\n"}, ["places", "dates"], {"places": "A = 1\n", "dates": "B = 2\n"},
         (True, {"places", "dates"})),
        # One source edited after the build: none of the compiled modules is used.
        ({"places": "A = 1\n", "dates": "B = 3\n"}, ["places", "dates"], {"places": "A = 1\n", "dates": "B = 2\n"},
         (False, {"places", "dates"})),
        # A compiled module the stamp does not list (a half-finished or foreign build).
        ({"places": "A = 1\n", "dates": "B = 2\n"}, ["places", "dates"], {"places": "A = 1\n"},
         (False, {"places", "dates"})),
        # Compiled modules without a stamp: the build did not finish.
        ({"places": "A = 1\n"}, ["places"], None, (False, {"places"})),
    ],
)
def test_compiled_modules_are_used_only_while_their_sources_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources: dict[str, str], compiled: list[str],
    stamp: dict[str, str] | None, expected: tuple[bool, set[str]],
) -> None:
    monkeypatch.delenv("STREAMS_PURE_PYTHON", raising=False)
    assert _compiled_build_ok(_package(tmp_path, sources, compiled, stamp)) == expected


def test_pure_python_setting_turns_a_fresh_compiled_build_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path, {"places": "A = 1\n"}, ["places"], {"places": "A = 1\n"})
    monkeypatch.setenv("STREAMS_PURE_PYTHON", "1")
    assert _compiled_build_ok(package) == (False, {"places"})
