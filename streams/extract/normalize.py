"""Per-language text normalization that keeps a map back to original character offsets.

Rules come from ``lang/<code>/normalize.json``::

    {"delete": "<characters removed>", "map": {"<from chars>": "<to char>", ...}}

Only deletions and one-to-one substitutions are allowed, so every normalized character maps to
exactly one original character and offsets can always be translated back.
"""

from __future__ import annotations

from functools import cache

from streams.extract import lang as langdata


@cache
def _table(lang: str) -> tuple[dict[int, int | None], frozenset[str]]:
    rules = langdata.load(lang, "normalize")
    table: dict[int, int | None] = {}
    for src, dst in rules.get("map", {}).items():
        if len(dst) != 1:
            raise ValueError(f"lang/{lang}/normalize.json: map target {dst!r} must be one character")
        for ch in src:
            table[ord(ch)] = ord(dst)
    deleted = frozenset(rules.get("delete", ""))
    for ch in deleted:
        table[ord(ch)] = None
    return table, deleted


def normalize(lang: str, text: str) -> tuple[str, list[int]]:
    """Normalize ``text`` for ``lang``; return the normalized text and its offset map.

    ``offsets[i]`` is the original index of normalized character ``i``; ``offsets[len(norm)]`` is
    ``len(text)``.
    """
    table, deleted = _table(lang)
    if not deleted:
        # Substitutions only: the length is unchanged and the map is the identity.
        return text.translate(table), list(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in deleted:
            continue
        out.append(ch)
        offsets.append(i)
    offsets.append(len(text))
    return "".join(out).translate(table), offsets


def normalize_name(lang: str, name: str) -> str:
    """Normalize a lexicon or gazetteer entry the same way article text is normalized."""
    table, _ = _table(lang)
    return name.translate(table)
