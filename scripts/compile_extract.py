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
MODULES = ("doc", "normalize", "places", "numbers", "counts", "events", "dates", "actors", "reportgate", "assemble")
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
    verify()


# Extracts every development-set case, the Douma article and the samples, and prints one digest of
# all outputs (timings left out) and the number of cases that raised. Run twice, compiled and pure.
_DIGEST = r"""
import hashlib, json, sys
from pathlib import Path
from streams.extract.pipeline import extract_article
arts = [json.loads(Path("tests/fixtures/douma-2018-04-07.ar.article.json").read_text())]
arts += [json.loads(l) for l in Path("samples/team-written.jsonl").read_text().splitlines() if l.strip()]
for path in sorted(Path("tests/data/devset").glob("*.jsonl")):
    for line in path.read_text().splitlines():
        c = json.loads(line)
        arts.append({k: c[k] for k in ("id", "text", "lang", "published_at") if c.get(k) is not None})
digest, errors = hashlib.sha256(), 0
for art in arts:
    try:
        out = extract_article(art)
        out.pop("timings", None)
    except Exception as exc:
        errors += 1
        out = {"error": repr(exc)}
    digest.update(json.dumps(out, sort_keys=True, default=str).encode())
print(len(arts), errors, digest.hexdigest())
"""


def _digest(pure: bool) -> str:
    """The output digest line of :data:`_DIGEST`, with the compiled build or the sources."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env["STREAMS_PURE_PYTHON"] = "1" if pure else ""
    return subprocess.run([sys.executable, "-c", _DIGEST], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def verify() -> None:
    """Keep the build only if it extracts exactly what the sources do, without an error.

    mypyc enforces type hints at run time: a value that does not match its variable's type (a
    None where a bool was inferred) raises TypeError in compiled code only, which would send every
    article to the dead-letter topic. So a build that differs from the sources on the development
    set, the Douma article or the samples is removed again (the sources are then used)."""
    compiled, pure = _digest(pure=False), _digest(pure=True)
    if compiled != pure or compiled.split()[1] != "0":
        clean()
        sys.exit(f"the compiled build does not extract what the sources do (cases, errors, digest: compiled "
                 f"{compiled}, sources {pure}); it was removed and the sources are used")
    print(f"verified: {compiled.split()[0]} cases extracted identically by the compiled build and the sources")


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
