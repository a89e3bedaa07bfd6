"""`N_`: marks a Vietnamese string for the English catalogue without translating it.

Label dictionaries (task statuses, report categories, roles, unit kinds...) also feed the official
documents (Excel/Word exports, generated .docx), which stay Vietnamese. Their values are marked with
`N_` so that `pybabel extract -k N_` collects them, and templates translate them at display time
with `_(label)`. This module imports nothing so that any module can use it.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the customary name of the gettext no-op marker
    return message
