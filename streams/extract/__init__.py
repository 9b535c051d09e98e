"""Incident extraction: pure Python, no Kafka, no clock, no network.

:func:`streams.extract.pipeline.extract_article` is the entry point used by the agent and by
``streams extract``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import warnings
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path

# Bump when code or language data change what is extracted: consumers see it on every record.
EXTRACTOR_VERSION = "0.1.0"


class _SourceFinder(MetaPathFinder):
    """Imports the listed modules of this package from their ``.py`` files, never a compiled build."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        """The source spec of a listed module; None (the usual import) for every other module."""
        if fullname not in self.names:
            return None
        return spec_from_file_location(fullname, Path(__file__).with_name(fullname.rsplit(".", 1)[1] + ".py"))


def _compiled_build_ok(here: Path) -> tuple[bool, set[str]]:
    """Whether the optional compiled build (scripts/compile_extract.py) may be imported, and the
    modules it compiled. It may only while every compiled module's source is the one it was built
    from (the stamp's hashes): an edited source must never run as its stale compiled version."""
    stamp = here / "_compiled.txt"
    compiled = {p.name.split(".")[0] for p in here.glob("*.so")} | {p.name.split(".")[0] for p in here.glob("*.pyd")}
    compiled &= {p.stem for p in here.glob("*.py")}
    if not compiled:
        return True, set()
    if os.environ.get("STREAMS_PURE_PYTHON", "") not in ("", "0") or not stamp.exists():
        return False, compiled
    recorded = dict(line.split() for line in stamp.read_text().splitlines() if line.strip())
    fresh = recorded.keys() == compiled and all(
        hashlib.sha256((here / f"{m}.py").read_bytes()).hexdigest() == h for m, h in recorded.items()
    )
    return fresh, compiled


def _guard_compiled_build() -> None:
    here = Path(__file__).parent
    ok, compiled = _compiled_build_ok(here)
    if ok:
        return
    # All or nothing: compiled modules call each other directly, so one stale module means none
    # of them is used.
    sys.meta_path.insert(0, _SourceFinder({f"{__name__}.{m}" for m in compiled}))
    if not os.environ.get("STREAMS_PURE_PYTHON"):
        warnings.warn(
            "the compiled extraction modules are stale (a source changed since scripts/compile_extract.py ran): "
            "using the Python sources; rebuild, or remove them with scripts/compile_extract.py --clean",
            RuntimeWarning,
            stacklevel=2,
        )


_guard_compiled_build()
