"""Rules for payout methods that need no database: comparing the name on a method with the profile's, and the
verification code. Pure Python."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

CODE_DIGITS = 6
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
RESEND_SECONDS = 60


def name_tokens(name: str) -> list[str]:
    """A name as comparable words: accents dropped, case folded, punctuation gone ("José  O'Neil" -> jose, oneil)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return [re.sub(r"[^\w]", "", w) for w in plain.split() if re.sub(r"[^\w]", "", w)]


def names_match(on_method: str, on_profile: str) -> bool:
    """The same person's name: the same words in any order, or one a fuller form of the other with at least two
    words in common (a middle name on the bank account, not on the profile)."""
    a, b = set(name_tokens(on_method)), set(name_tokens(on_profile))
    if not a or not b:
        return False
    if a == b:
        return True
    smaller, larger = (a, b) if len(a) <= len(b) else (b, a)
    return len(smaller) >= 2 and smaller <= larger


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str, *, secret: str, method_id: int) -> str:
    """A code is kept only as this keyed hash, bound to its method."""
    return hmac.new(secret.encode(), f"{method_id}:{code.strip()}".encode(), hashlib.sha256).hexdigest()
