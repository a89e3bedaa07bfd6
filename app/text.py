"""Text folding for search: "Đôn đốc" and "don doc" must find each other.

Vietnamese users often type without diacritics (phones, old keyboards). Every searchable row keeps
a folded copy of its text in an indexed `search_text` column, written together with the row, and
queries fold the user's words the same way. This works identically on SQLite and PostgreSQL (no
`unaccent` extension or ICU collation needed), at the cost of a few hundred bytes per row.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, without diacritics, đ -> d, whitespace collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box; each must occur (AND), in any order."""
    return [word for word in fold(query).split(" ") if word]
