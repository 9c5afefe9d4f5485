from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.domain import tokens


def test_generated_token_splits_back_and_matches_its_digest() -> None:
    new = tokens.generate()
    prefix, secret = tokens.split(new.raw)  # type: ignore[misc]
    assert prefix == new.prefix
    assert tokens.secret_matches(secret, new.digest)
    assert not tokens.secret_matches(secret + "x", new.digest)


def test_two_tokens_differ() -> None:
    assert tokens.generate().raw != tokens.generate().raw


@given(st.text(max_size=80))
def test_split_never_raises(raw: str) -> None:
    result = tokens.split(raw)
    assert result is None or (len(result[0]) == 12 and result[1])
