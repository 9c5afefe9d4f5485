"""The server's catalogues (annotations/locale/<es|pt_BR>/LC_MESSAGES/django.po and .mo) are complete and current.

A string marked for translation in the code or a template and missing from a catalogue, a catalogue entry left
empty or fuzzy, a placeholder lost or renamed in a translation, or a .mo file not compiled from its .po fails here;
`make messages` brings the catalogues up to date (then translate what it added). Extracting the strings needs GNU
gettext's xgettext: without it the extraction test skips on a developer's machine and fails under CI."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "annotations" / "locale"
LANGUAGES = ("es", "pt_BR")
# What makemessages reads: the server's code and templates (the front end has catalogues of its own).
SOURCES = ("annotations", "platform", "workers")
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")

Key = tuple[str | None, str, str | None]


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    """The msgids of the current code and templates, by Django's makemessages over a copy of the sources, into a
    locale folder of its own (so the committed catalogues are not touched)."""
    missing = [tool for tool in ("xgettext", "msguniq", "msgmerge") if shutil.which(tool) is None]
    if missing:
        need("GNU gettext", f"{', '.join(missing)} missing: install the Debian package gettext")
    work = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("locale", "static", "__pycache__"))
    here = Path.cwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command("makemessages", locale=["es"], add_location="file", verbosity=0)
    finally:
        os.chdir(here)
    return {_key(e) for e in _entries(polib.pofile(str(work / "locale" / "es" / "LC_MESSAGES" / "django.po")))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue(extracted: set[Key], language: str) -> None:
    committed = {_key(e) for e in _entries(_catalogue(language))}
    missing = sorted(extracted - committed, key=str)
    stale = sorted(committed - extracted, key=str)
    assert not missing, f"{language}: not in the catalogue (run `make messages` and translate): {missing[:20]}"
    assert not stale, f"{language}: no longer in the code (run `make messages`): {stale[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = _entries(_catalogue(language))
    assert entries, f"{language}: the catalogue is empty"
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy (check the translation, then remove the flag): {fuzzy[:20]}"


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for e in _entries(_catalogue(language)):
        if e.msgid_plural:
            pairs = [(e.msgid if n == 0 else e.msgid_plural, text) for n, text in sorted(e.msgstr_plural.items())]
        else:
            pairs = [(e.msgid, e.msgstr)]
        wrong += [(source, text) for source, text in pairs if _placeholders(source) != _placeholders(text)]
    assert not wrong, f"{language}: placeholders differ from the msgid: {wrong[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    assert (folder / "django.mo").is_file(), f"{language}: django.mo is missing (run `make messages`)"

    def table(entries: list[polib.POEntry] | polib.MOFile) -> dict[Key, object]:
        return {
            _key(e): {int(n): text for n, text in e.msgstr_plural.items()} if e.msgid_plural else e.msgstr
            for e in entries
            if e.msgid and "fuzzy" not in e.flags and (e.msgstr or e.msgstr_plural)
        }

    compiled = table(polib.mofile(str(folder / "django.mo")))
    source = table(_entries(_catalogue(language)))
    assert compiled == source, f"{language}: django.mo is not compiled from django.po (run `make messages`)"


@pytest.mark.parametrize(
    ("language", "expected"), [("es", "No encontrado."), ("pt-br", "Não encontrado."), ("en", "Not found.")]
)
def test_the_server_loads_the_catalogues(language: str, expected: str) -> None:
    with translation.override(language):
        assert translation.gettext("Not found.") == expected
