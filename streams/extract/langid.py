"""Language detection, offline: the script decides Arabic; py3langid (a packaged model) the rest.

Only languages that have a data folder (``lang/<code>/``) can be returned, so detection never
picks a language the pipeline cannot read; when nothing fits, English is the fallback.
"""

from __future__ import annotations

import time
from functools import cache

from streams.extract import lang as langdata

# Only the opening of a long article is looked at: the language does not change halfway, and
# py3langid's cost grows with the text.
_SAMPLE_CHARS = 2000
_FALLBACK = "en"


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    known = [code for code in langdata.available_languages() if code in identifier.nb_classes]
    identifier.set_languages(known or None)
    return identifier


def _arabic_share(sample: str) -> float:
    letters = arabic = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
                arabic += 1
    return arabic / letters if letters else 0.0


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language among the languages with data files."""
    sample = text[:_SAMPLE_CHARS]
    available = langdata.available_languages()
    # Arabic script is unambiguous for our purposes (Persian and Urdu have no data folder yet).
    if "ar" in available and _arabic_share(sample) > 0.3:
        return "ar"
    if not any(ch.isalpha() for ch in sample):
        return _FALLBACK
    code, _ = _identifier().classify(sample)
    return code if code in available else _FALLBACK


def warm_up() -> float:
    """Load the model now (worker start-up) rather than on the first article; return seconds taken."""
    t0 = time.perf_counter()
    _identifier()
    return time.perf_counter() - t0
