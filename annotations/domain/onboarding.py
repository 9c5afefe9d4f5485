"""What a freelancer must tell us before the marketplace opens, and the checks on each answer. Pure Python: the
codes come from ISO 3166-1 (countries, alpha-2) and ISO 639-1 (two-letter language subtags); time zones from the
IANA database Python ships with (`zoneinfo`)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.utils.translation import gettext

from annotations.domain.provenance import TRAINING_CHOICES, TRAINING_USES

# In the order the onboarding form asks for them; the API names them the same way.
REQUIRED_FIELDS = ("display_name", "languages", "skills", "modalities", "country", "time_zone", "training_terms")

_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC
CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD
GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
_LANGUAGE_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg
ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn
no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())
LANGUAGES = frozenset(_LANGUAGE_CODES.split())

# BCP 47 (RFC 5646) language tags as people use them: language, optional extended language, script, region,
# variants. Private-use and grandfathered tags are not accepted.
_TAG = re.compile(
    r"^(?P<language>[a-z]{2,3})"
    r"(?:-(?P<extlang>[a-z]{3}))?"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$",
    re.IGNORECASE,
)


def clean_language(tag: str) -> str:
    """A BCP 47 tag in its canonical case (`pt-br` -> `pt-BR`, `zh-hant-tw` -> `zh-Hant-TW`), or ValueError."""
    m = _TAG.match(tag.strip())
    if m is None:
        raise ValueError(gettext("%(tag)s is not a BCP 47 language tag, e.g. en, pt-BR, zh-Hant.") % {"tag": repr(tag)})
    language = m["language"].lower()
    if len(language) == 2 and language not in LANGUAGES:
        raise ValueError(
            gettext("%(tag)s: %(language)s is not an ISO 639-1 language code.")
            % {"tag": repr(tag), "language": repr(language)}
        )
    parts = [language]
    if m["extlang"]:
        parts.append(m["extlang"].lower())
    if m["script"]:
        parts.append(m["script"].title())
    if m["region"]:
        region = m["region"].upper()
        if region.isalpha() and region not in COUNTRIES:
            raise ValueError(
                gettext("%(tag)s: %(region)s is not an ISO 3166 country code.")
                % {"tag": repr(tag), "region": repr(region)}
            )
        parts.append(region)
    parts += [v.lower() for v in m["variants"].split("-") if v]
    return "-".join(parts)


def clean_languages(tags: Sequence[str]) -> list[str]:
    """Canonical tags, duplicates dropped, in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        value = clean_language(tag)
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def clean_country(code: str) -> str:
    value = code.strip().upper()
    if value not in COUNTRIES:
        raise ValueError(gettext("A two-letter ISO 3166 country code, e.g. PT."))
    return value


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def clean_time_zone(name: str) -> str:
    value = name.strip()
    if value not in time_zones():
        raise ValueError(gettext("An IANA time zone name, e.g. Europe/Lisbon."))
    return value


def terms_choice_errors(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """Errors per use (`training_terms.<use>`) unless every use has an explicit, valid choice."""
    errors: dict[str, list[str]] = {}
    for key in set(raw) - set(TRAINING_USES):
        errors[f"training_terms.{key}"] = [
            gettext("Not a use. The uses are: %(training_uses)s.") % {"training_uses": ", ".join(TRAINING_USES)}
        ]
    for use in TRAINING_USES:
        if use not in raw:
            errors[f"training_terms.{use}"] = [
                gettext("Choose one of: %(training_choices)s.") % {"training_choices": ", ".join(TRAINING_CHOICES)}
            ]
        elif raw[use] not in TRAINING_CHOICES:
            errors[f"training_terms.{use}"] = [
                gettext("One of: %(training_choices)s.") % {"training_choices": ", ".join(TRAINING_CHOICES)}
            ]
    return errors


def missing_fields(
    *,
    display_name: str,
    languages: Sequence[str],
    skills: Sequence[str],
    modalities: Sequence[str],
    country: str,
    time_zone: str,
    training_terms: Mapping[str, Any],
) -> list[str]:
    """The required fields still empty, in form order. Training terms count only when every use was chosen
    explicitly (a stored choice per use): the defaults a new profile shows are not a choice."""
    present = {
        "display_name": bool(display_name.strip()),
        "languages": bool(languages),
        "skills": bool(skills),
        "modalities": bool(modalities),
        "country": bool(country),
        "time_zone": bool(time_zone),
        "training_terms": not terms_choice_errors(training_terms),
    }
    return [name for name in REQUIRED_FIELDS if not present[name]]
