"""Per-language text normalization that keeps a map back to original character offsets.

Rules come from ``lang/<code>/normalize.json``::

    {"delete": "<characters removed>", "map": {"<from chars>": "<to char>", ...}}

Only deletions and one-to-one substitutions are allowed, so every normalized character maps to
exactly one original character and offsets can always be translated back.
"""

from __future__ import annotations

import re
from functools import cache

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


@cache
def _replacements(lang: str) -> tuple[tuple[tuple[str, str], ...] | None, str, bool]:
    """The table as (character, replacement) pairs for ``str.replace``, the deleted characters,
    and whether an ASCII text is left as it is.

    ``str.translate`` looks every character up in a dict (slow on non-Latin text: ~150 us for a
    2 KB Arabic article), while a text holds only a handful of the table's characters: testing
    each one with ``in`` and replacing the few present is a few fast C scans, with the same
    result as long as no replacement is itself a character of the table (replacements then
    cannot feed each other). A table that breaks that rule keeps ``translate`` (pairs None).
    """
    table, _ = _table(lang)
    pairs = tuple((chr(src), "" if dst is None else chr(dst)) for src, dst in table.items())
    chained = any(dst is not None and dst in table for dst in table.values())
    deleted = "".join(chr(src) for src, dst in table.items() if dst is None)
    return (None if chained else pairs), deleted, all(src >= 128 for src in table)


# Offset maps are mostly runs of consecutive integers: slices of one shared list of them copy
# pointers to int objects that already exist, where ``list(range(n))`` makes n new ones per article
# (and frees them after). Capped so that one huge input does not keep a huge list alive.
_IDENTITY_CAP = 1 << 16
_IDENTITY: list[int] = list(range(4096))


def _integers(size: int) -> list[int]:
    """A list that starts with the integers ``0 .. size - 1``, to slice offset maps from: the
    shared one when ``size`` is within the cap (grown on demand), else a new one."""
    global _IDENTITY
    if size > len(_IDENTITY):
        if size > _IDENTITY_CAP:
            return list(range(size))
        _IDENTITY = list(range(min(_IDENTITY_CAP, max(size, 2 * len(_IDENTITY)))))
    return _IDENTITY


def normalize(lang: str, text: str) -> tuple[str, list[int]]:
    """Normalize ``text`` for ``lang``; return the normalized text and its offset map.

    ``offsets[i]`` is the original index of normalized character ``i``; ``offsets[len(norm)]`` is
    ``len(text)``.
    """
    table, runs = _table(lang)
    pairs, deleted, ascii_kept = _replacements(lang)
    if ascii_kept and text.isascii():
        # No character of an ASCII text is in the table (most English articles): the text is
        # its own normalized form and the map is the identity.
        return text, _integers(len(text) + 1)[: len(text) + 1]
    # The deleted runs are searched for only when a deleted character occurs at all (a regex scan
    # of the whole text costs more than a few ``in`` tests).
    gaps = (
        [m.span() for m in runs.finditer(text)]
        if runs is not None and any(ch in text for ch in deleted)
        else []
    )
    if pairs is None:
        norm = text.translate(table)
    else:
        norm = text
        for ch, replacement in pairs:
            if ch in norm:
                norm = norm.replace(ch, replacement)
    if not gaps:
        # Nothing deleted: the length is unchanged and the map is the identity.
        return norm, _integers(len(text) + 1)[: len(text) + 1]
    # Keep the ranges between deleted runs (the replacements above deleted the runs themselves).
    integers = _integers(len(text) + 1)
    offsets: list[int] = []
    pos = 0
    for start, end in gaps:
        offsets += integers[pos:start]
        pos = end
    offsets += integers[pos : len(text) + 1]  # the final entry maps len(norm) to len(text)
    return norm, offsets


def normalize_name(lang: str, name: str) -> str:
    """Normalize a lexicon or gazetteer entry the same way article text is normalized."""
    table, _ = _table(lang)
    return name.translate(table)
