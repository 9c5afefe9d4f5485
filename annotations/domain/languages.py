"""The languages Atelier speaks, and the two spellings of each: BCP 47 as the API and `User.language` keep it
(`pt-BR`), and Django's lower-case language code as LocaleMiddleware and `translation.get_language()` give it
(`pt-br`). Pure Python."""

from __future__ import annotations

# BCP 47 tag -> the language's own name. The order is the order menus list them.
SPOKEN: dict[str, str] = {"en": "English", "es": "Español", "pt-BR": "Português (Brasil)"}
DEFAULT = "en"

_BY_LOWER = {tag.lower(): tag for tag in SPOKEN}


def spoken_tag(code: str | None) -> str | None:
    """The BCP 47 tag Atelier speaks for a language code in either spelling (`pt-br`, `pt_BR`, `PT-BR`), or None."""
    if not code:
        return None
    return _BY_LOWER.get(code.replace("_", "-").lower())


def tag_for_request(django_code: str | None) -> str:
    """The tag for the language a request was answered in (what LocaleMiddleware chose); the default otherwise.
    A regional variant Atelier does not speak falls back to its language (`es-MX` -> `es`)."""
    if django_code:
        found = spoken_tag(django_code) or spoken_tag(django_code.replace("_", "-").split("-")[0])
        if found:
            return found
    return DEFAULT
