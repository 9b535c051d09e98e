"""Per-language text normalization that keeps a map back to original character offsets.

Rules come from ``lang/<code>/normalize.json``::

    {"delete": "<characters removed>", "map": {"<from chars>": "<to char>", ...}}

Only deletions and one-to-one substitutions are allowed, so every normalized character maps to
exactly one original character and offsets can always be translated back.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import chain

from streams.extract import lang as langdata


@cache
def _table(lang: str) -> tuple[dict[int, int | None], re.Pattern[str] | None]:
    rules = langdata.load(lang, "normalize")
    table: dict[int, int | None] = {}
    for src, dst in rules.get("map", {}).items():
        if len(dst) != 1:
            raise ValueError(f"lang/{lang}/normalize.json: map target {dst!r} must be one character")
        for ch in src:
            table[ord(ch)] = ord(dst)
    deleted = rules.get("delete", "")
    for ch in deleted:
        table[ord(ch)] = None
    # Runs of deleted characters, found by the regex engine: most articles have none or a few, so
    # the offset map is built from whole ranges between runs, not character by character.
    runs = re.compile("[" + re.escape(deleted) + "]+") if deleted else None
    return table, runs


def normalize(lang: str, text: str) -> tuple[str, list[int]]:
    """Normalize ``text`` for ``lang``; return the normalized text and its offset map.

    ``offsets[i]`` is the original index of normalized character ``i``; ``offsets[len(norm)]`` is
    ``len(text)``.
    """
    table, runs = _table(lang)
    gaps = [m.span() for m in runs.finditer(text)] if runs is not None else []
    if not gaps:
        # Nothing deleted: the length is unchanged and the map is the identity.
        return text.translate(table), list(range(len(text) + 1))
    # Keep the ranges between deleted runs; ``translate`` then deletes the runs themselves.
    kept: list[range] = []
    pos = 0
    for start, end in gaps:
        kept.append(range(pos, start))
        pos = end
    kept.append(range(pos, len(text) + 1))  # the final entry maps len(norm) to len(text)
    return text.translate(table), list(chain.from_iterable(kept))


def normalize_name(lang: str, name: str) -> str:
    """Normalize a lexicon or gazetteer entry the same way article text is normalized."""
    table, _ = _table(lang)
    return name.translate(table)
