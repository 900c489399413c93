"""Swedish words: tokens, lemmas (simplemma's own data, offline) and stop words (stopwords-iso)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import simplemma
from stopwordsiso import stopwords

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Words that are everywhere in map comments and say nothing about a theme.
DIALOGUE_STOP_WORDS = frozenset({
    "här", "där", "plats", "platsen", "området", "område", "tycka", "tycker", "känna", "kännas",
    "finnas", "göra", "bli", "mycket", "lite", "väldigt", "kanske", "också", "ju", "få", "ska",
    "skulle", "kunna", "vilja", "behöva", "gärna", "bra", "dålig", "många", "fler", "mer",
    "böra", "tyvärr", "alldeles", "hel", "enligt", "alltid", "sedan", "verkligen", "typ",
})


@cache
def stop_words() -> frozenset[str]:
    """Swedish stop words (stopwords-iso) and the words every map comment uses."""
    return frozenset(stopwords("sv")) | DIALOGUE_STOP_WORDS


@lru_cache(maxsize=500_000)
def lemma(word: str) -> str:
    """The dictionary form of a Swedish word, lower case ('lamporna' -> 'lampa')."""
    return simplemma.lemmatize(word, lang="sv").casefold()


def words(text: str) -> list[str]:
    """The words of a text, lower case, without digits and punctuation."""
    return WORD.findall(text.casefold())


def lemmas(text: str) -> list[str]:
    """The lemmas of a text's words, in order."""
    return [lemma(w) for w in words(text)]


def content_lemmas(text: str) -> list[str]:
    """The lemmas that can carry a theme: no stop words, no one- or two-letter words."""
    stop = stop_words()
    return [m for w in words(text) if len(w) > 2 and w not in stop
            for m in (lemma(w),) if len(m) > 2 and m not in stop]


def matches(text: str, query_lemmas: list[str]) -> bool:
    """Whether the text has a form of every query word (also inside a compound: gatlampa)."""
    found = set(lemmas(text))
    return all(any(m == q or (len(q) >= 4 and m.endswith(q)) for m in found) for q in query_lemmas)


_UMLAUT = str.maketrans({"a": "ä", "o": "ö", "å": "ä"})


def search_stems(query_lemma: str) -> set[str]:
    """Substrings every form of the word contains, for a quick SQL pre-filter before lemmatising.

    Swedish inflects mostly at the end (lamp-a, lamp-orna, gat-or): the lemma less its last two
    letters, at least three; plus the umlaut variant (man, män) and capitalised forms, because
    SQLite's LIKE folds case only for ASCII. A form that changes earlier (bok, böcker) is missed.
    """
    stem = query_lemma[:max(3, len(query_lemma) - 2)]
    return {form for variant in {stem, stem.translate(_UMLAUT)}
            for form in (variant, variant.capitalize(), variant.upper())}
