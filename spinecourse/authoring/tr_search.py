"""Translated editions, site search: a Sphinx search language for Korean pages (Sphinx has none). Reached as
``spinecourse.authoring.translation.SearchKorean`` (site/conf.py). Part of ``translation``.
"""

from __future__ import annotations

import re

# ---- Korean search for the site (Sphinx has no Korean search language) ----

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _korean_search_class():
    from sphinx.search import SearchLanguage

    class SearchKorean(SearchLanguage):
        """Sphinx search for Korean pages, offline and without a tokeniser: Korean attaches particles to words
        (협착증은, 협착증에서), so each Hangul word is also indexed by its prefixes of two or more syllables and a
        search for 협착증 finds them; everything is lower-cased as the search box's query is."""

        lang = "ko"
        language_name = "Korean"

        def split(self, input: str) -> list[str]:
            words = []
            for word in self._word_re.findall(input):
                words.append(word)
                if _HANGUL.search(word):
                    words += [word[:n] for n in range(2, len(word))]
            return words

        def stem(self, word: str) -> str:
            return word.lower()

    return SearchKorean
