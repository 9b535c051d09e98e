"""Optional: compile the extraction modules with mypyc (about 1.3x the articles per CPU-second).

    python scripts/compile_extract.py           # build; needs mypy (pip install "mypy>=1.10") and a C compiler
    python scripts/compile_extract.py --clean   # remove the compiled modules: back to pure Python

The Python sources stay the only source of truth: mypyc turns them, type hints included, into C
extension modules placed next to them (``streams/extract/<module>.cpython-*.so``), which Python
imports instead of the ``.py`` files. A stamp records the hash of every compiled source;
``streams/extract/__init__.py`` imports the sources instead whenever a source no longer matches
its stamp (an edit after the build), so a stale build can slow things down but never changes a
result. Nothing else needs the compiler: without this step everything runs as plain Python.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "streams" / "extract"
# The modules where extraction spends its time. Left out: pipeline, langid and gazetteer (called
# a few times per article, or only at start-up).
MODULES = ("doc", "normalize", "places", "numbers", "counts", "events", "dates", "actors", "assemble")
STAMP = PACKAGE / "_compiled.txt"


def source_hash(path: Path) -> str:
    """The SHA-256 of a source file, as recorded in the stamp and checked at import."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compiled_files() -> list[Path]:
    """The extension modules a build left in the package (the compiled modules and their runtime)."""
    stems = {*MODULES, *(f"{m}__mypyc" for m in MODULES)}
    return sorted(p for p in PACKAGE.iterdir() if p.suffix in (".so", ".pyd") and p.name.split(".")[0] in stems)


def clean() -> None:
    """Remove the compiled modules and the stamp: the package is plain Python again."""
    for path in [*compiled_files(), STAMP]:
        path.unlink(missing_ok=True)
        print(f"removed {path.relative_to(ROOT)}")


def build() -> None:
    """Compile :data:`MODULES` in a scratch directory and copy the extension modules into the package."""
    try:
        from mypyc.build import mypycify
        from setuptools import setup
    except ImportError:
        sys.exit('mypyc is not installed: pip install "mypy>=1.10" (a C compiler and the Python headers are needed too)')
    clean()
    sources = [PACKAGE / f"{m}.py" for m in MODULES]
    # mypy names the modules from the package layout of the absolute paths; everything the build
    # writes (generated C, objects, mypy's cache) stays in build/mypyc (ignored by git), which
    # also makes a rebuild after a small edit faster.
    work = ROOT / "build" / "mypyc"
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "lib", ignore_errors=True)  # only this build's modules are copied below
    os.chdir(work)
    # Imports outside the compiled set (gazetteer, errors, third-party) are read for their types
    # but not type-checked: only the compiled modules must pass.
    # One extension (and mypyc runtime library) per module, next to its source: a single shared
    # library would have to sit at the top of the import path (mypyc derives the modules'
    # ``__file__`` from where it is), which an editable install does not put on sys.path.
    extensions = mypycify(["--follow-imports=silent", *map(str, sources)], opt_level="3", separate=True)
    setup(
        name="streams-extract-native",
        ext_modules=extensions,
        script_args=["--quiet", "build_ext", "--build-lib", "lib", "--build-temp", "obj"],
    )
    built = work / "lib" / "streams" / "extract"
    for path in sorted(built.iterdir()):
        if path.suffix in (".so", ".pyd"):
            shutil.copy2(path, PACKAGE / path.name)
            print(f"built {(PACKAGE / path.name).relative_to(ROOT)}")
    # Written last: a build that failed half-way leaves no stamp, and the sources are used.
    STAMP.write_text("".join(f"{m} {source_hash(p)}\n" for m, p in zip(MODULES, sources, strict=True)))
    check = subprocess.run(
        [sys.executable, "-c", "import streams.extract.places as p; print(p.__file__)"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )
    print(f"streams.extract.places now imports from {check.stdout.strip()}")


def main() -> None:
    """Build (default) or, with ``--clean``, remove the compiled extraction modules."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    args = parser.parse_args()
    if args.clean:
        clean()
    else:
        build()


if __name__ == "__main__":
    main()
