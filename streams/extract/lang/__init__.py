"""Per-language data files, loaded once and cached.

Each language is a folder ``lang/<iso-639-1>/`` of JSON files, one per concern (``normalize.json``,
``numbers.json``, ``counts.json``, ``events.json``, ``dates.json``, ``actors.json``,
``places.json``). Adding a language means adding such a folder: no code changes. A missing file
is an empty table, so a new language can start with a few files and grow.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

LANG_DIR = Path(__file__).resolve().parent


@cache
def available_languages() -> tuple[str, ...]:
    """Languages that have a data folder, sorted."""
    return tuple(sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")))


@cache
def load(lang: str, name: str) -> dict[str, Any]:
    """Return the parsed ``lang/<lang>/<name>.json`` (an empty dict when the file does not exist).

    The result is cached and shared: callers must not mutate it.
    """
    path = LANG_DIR / lang / f"{name}.json"
    if not path.is_file():
        return {}
    return orjson.loads(path.read_bytes())
