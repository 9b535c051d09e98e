"""The document's word and sentence scanning, and round3, give exactly what their regex and
built-in definitions give (they are written for speed, not by those definitions)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.extract.doc import SENTENCE_MARKS_RE, WORD_RE, _mark_runs, round3, split_words
from tests.unit.test_extract_properties import ALPHABET

SETTINGS = settings(max_examples=500, deadline=None, derandomize=True)


def regex_words(text: str) -> tuple[list[str], list[int], list[int]]:
    """WORD_RE's matches as split_words returns them (the starts end with ``len(text)``)."""
    found = list(WORD_RE.finditer(text))
    return [m.group() for m in found], [m.start() for m in found] + [len(text)], [m.end() for m in found]


@pytest.mark.parametrize(
    "text",
    [
        "Five people were killed in Kabul on Sunday.",
        "13 U.S. troops; al-Qaeda's \"claim\" (Reuters) - 3,000 ... snake_case words_",
        "'quoted' --dash-- it’s rock'n'roll -x- a- -b",
        "",
        "   \n\t ",
    ],
)
def test_english_words_are_the_word_regex_matches(text: str) -> None:
    assert split_words(text) == regex_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "قتل خمسة اشخاص، في كابول (رويترز) - الأحد.",
        "«الدفاع المدني»: ٣٠ قتيلا؟ و٢٠ جريحا…",
        "بِسْمِ اللّهِ ـــ مدينة",
    ],
)
def test_arabic_words_are_the_word_regex_matches(text: str) -> None:
    assert split_words(text) == regex_words(text)


@SETTINGS
@given(st.text(alphabet=ALPHABET + "_\u2028\u0085\x1c", max_size=60))
def test_random_text_words_are_the_word_regex_matches(text: str) -> None:
    assert split_words(text) == regex_words(text)


@SETTINGS
@given(st.text(alphabet="a .!?\n؟。\t", max_size=40))
def test_sentence_mark_runs_are_the_regex_matches(text: str) -> None:
    assert _mark_runs(text) == [m.span() for m in SENTENCE_MARKS_RE.finditer(text)]


@pytest.mark.parametrize("value", [0.85, 0.1234999, 0.6665, 1.0005, 0.0, -0.0, -0.0004, 2.5e-4, math.inf])
def test_round3_rounds_like_round_twice(value: float) -> None:
    for _ in range(2):  # (the second call is answered from the remembered values)
        got = round3(value)
        assert got == round(value, 3)
        assert type(got) is type(round(value, 3))
        assert math.copysign(1.0, got) == math.copysign(1.0, round(value, 3))
