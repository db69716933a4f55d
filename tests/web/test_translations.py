"""Every string a user can see is translated into Arabic and Central Kurdish.

(a) The committed catalogues (``src/shafaf/locale``) hold every msgid the code and the
    templates use: makemessages runs over a copy of the package, and a string it finds
    that the catalogues lack fails here, by name. Strings the catalogues still carry
    but no code uses fail too, so the catalogues never drift from the code.
(b) Every Arabic and Kurdish entry is translated, not fuzzy, with all its plural forms
    and the same placeholders as its msgid.
(c) Pages come out in the reader's language and direction.

To bring the catalogues up to date after changing strings, from ``src/shafaf``::

    DJANGO_SETTINGS_MODULE=shafaf.web.settings.test django-admin makemessages \\
        -l ar -l ckb -l en --no-location --ignore 'migrations/*' --ignore 'locale/*'

then translate the new entries (and remove the ``#, fuzzy`` flags msgmerge guessed).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from shafaf.access.roles import Role

# The committed sources, in this checkout (not wherever the package is installed).
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "shafaf"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("ar", "ckb", "en")
TRANSLATED = ("ar", "ckb")
NPLURALS = {"ar": 6, "ckb": 2, "en": 2}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt")

# A python-format placeholder: %(name)s, %s, %d, %.2f ... (not the escaped %%).
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def require_gettext() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext is not installed ({', '.join(missing)} not found on PATH), and "
            "makemessages needs it to check the catalogues. Install it: "
            "`apt-get install gettext` (the project's scripts do).",
            pytrace=False,
        )


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def describe(keys: set[tuple[str | None, str, str]]) -> str:
    lines = []
    for context, msgid, plural in sorted(keys, key=lambda k: (k[1], k[2], k[0] or "")):
        text = repr(msgid) + (f" / plural {plural!r}" if plural else "")
        lines.append("  " + text + (f" (context {context!r})" if context else ""))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with its catalogues brought up to date by makemessages,
    exactly as an engineer would run it; the committed files are never touched."""
    require_gettext()
    copy = tmp_path_factory.mktemp("makemessages") / "shafaf"
    shutil.copytree(PACKAGE, copy,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale"))
    shutil.copytree(LOCALE, copy / "locale")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(copy):
        call_command("makemessages", locale=list(LANGUAGES), no_location=True,
                     ignore_patterns=["migrations/*", "locale/*"], verbosity=1,
                     stdout=out, stderr=err)
    for language in LANGUAGES:
        assert (copy / "locale" / language / "LC_MESSAGES" / "django.po").exists(), (
            f"makemessages wrote no {language} catalogue:\n{out.getvalue()}{err.getvalue()}")
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_every_string_the_code_uses(regenerated: Path, language: str) -> None:
    committed = {key(e) for e in catalogue(language) if not e.obsolete}
    fresh = polib.pofile(str(regenerated / language / "LC_MESSAGES" / "django.po"))
    used = {key(e) for e in fresh if not e.obsolete}
    missing = used - committed
    assert not missing, (
        f"The code and templates use {len(missing)} string(s) missing from "
        f"src/shafaf/locale/{language}/LC_MESSAGES/django.po; run makemessages (see this "
        f"module's docstring) and translate them:\n{describe(missing)}")
    stale = committed - used
    assert not stale, (
        f"src/shafaf/locale/{language}/LC_MESSAGES/django.po carries {len(stale)} "
        f"string(s) no code or template uses any more; run makemessages and remove the "
        f"obsolete (#~) entries:\n{describe(stale)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header_is_filled(language: str) -> None:
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, f"the {language} header is still marked fuzzy"
    meta = po.metadata
    assert meta.get("Language") == language
    assert meta.get("Content-Type") == "text/plain; charset=UTF-8"
    forms = meta.get("Plural-Forms", "")
    assert f"nplurals={NPLURALS[language]};" in forms, (
        f"{language} needs {NPLURALS[language]} plural forms, the header says {forms!r}")
    for field in ("Project-Id-Version", "Last-Translator", "Language-Team"):
        value = meta.get(field, "")
        assert value, f"the {language} header leaves {field} empty"
        for placeholder in ("PACKAGE", "FULL NAME", "LANGUAGE"):
            assert placeholder not in value, (
                f"the {language} header keeps gettext's placeholder in {field}: {value!r}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language: str) -> None:
    problems = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        name = repr(entry.msgid)
        if "fuzzy" in entry.flags:
            problems.append(f"{name}: marked fuzzy")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != list(range(NPLURALS[language])):
                problems.append(f"{name}: has plural forms {sorted(forms)}, needs "
                                f"{NPLURALS[language]}")
            empty = [i for i, text in forms.items() if not text.strip()]
            if empty:
                problems.append(f"{name}: plural form(s) {empty} untranslated")
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            used: set[str] = set()
            for i, text in forms.items():
                unknown = placeholders(text) - allowed
                used |= placeholders(text)
                if unknown:
                    problems.append(f"{name}: form {i} uses unknown {sorted(unknown)}")
            # A form for exactly one number may spell it out ("محطتان"), but the
            # placeholders must appear somewhere.
            if not empty and used != placeholders(entry.msgid_plural):
                problems.append(f"{name}: forms use {sorted(used)}, msgid_plural has "
                                f"{sorted(placeholders(entry.msgid_plural))}")
        else:
            if not entry.msgstr.strip():
                problems.append(f"{name}: untranslated")
            elif placeholders(entry.msgstr) != placeholders(entry.msgid):
                problems.append(f"{name}: placeholders {sorted(placeholders(entry.msgstr))} "
                                f"instead of {sorted(placeholders(entry.msgid))}")
    assert not problems, (f"src/shafaf/locale/{language}/LC_MESSAGES/django.po:\n  "
                          + "\n  ".join(problems))


def test_english_plural_entries_are_valid() -> None:
    """English may leave msgstr empty (gettext falls back to the msgid), but a plural
    entry needs its two forms, both given or both left empty."""
    problems = []
    for entry in catalogue("en"):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.msgid!r}: marked fuzzy")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            filled = [bool(text) for text in forms.values()]
            if sorted(forms) != [0, 1] or (any(filled) and not all(filled)):
                problems.append(f"{entry.msgid!r}: plural forms {forms!r}")
    assert not problems, "src/shafaf/locale/en/LC_MESSAGES/django.po:\n  " + "\n  ".join(
        problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_gettext_accepts_the_catalogue(language: str) -> None:
    require_gettext()
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", str(path)],  # noqa: S607
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"msgfmt --check {path}:\n{result.stderr}"


# --- (c) pages in each language ------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_site_uses_the_catalogue_compiled_at_start_up(language: str) -> None:
    msgid = "Audit chain"
    expected = next(e.msgstr for e in catalogue(language) if e.msgid == msgid)
    with translation.override(language):
        shown = translation.gettext(msgid)
    assert shown == expected, (
        f"in {language}, {msgid!r} comes out as {shown!r}, not the catalogue's {expected!r}. "
        "Django loads a language's catalogue once per process; the default language's "
        "was loaded while the models were imported (django.contrib.auth translates a "
        "string then), before PortalConfig.ready() compiled the .po files into "
        "LOCALE_PATHS, so it was loaded without them. Clear Django's translation caches "
        "after compiling (or compile before the models are imported).")


PAGES = {
    # language: (dir, strings the home page shows, the stations count for all 22)
    "ar": ("rtl", ["سلسلة التدقيق", "المحافظات والمقاعد", "الجدول الزمني للانتخابات"],
           "22 محطة"),
    "ckb": ("rtl", ["زنجیرەی وردبینی", "پارێزگاکان و کورسییەکان", "خشتەی کاتی هەڵبژاردن"],
            "22 وێستگە"),
    "en": ("ltr", ["Audit chain", "Governorates and seats", "Election calendar"],
           "22 stations"),
}


def get(client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_speaks_the_chosen_language(client, election, language: str) -> None:
    direction, strings, _ = PAGES[language]
    html = get(client, "/", language)
    assert f'<html lang="{language}" dir="{direction}">' in html
    for text in strings:
        assert text in html
    if language != "en":
        assert "Governorates and seats" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_stations_page_speaks_the_chosen_language(client, stations, users,
                                                  language: str) -> None:
    direction, _, count = PAGES[language]
    client.force_login(users[Role.ADMIN])
    html = get(client, "/staff/stations/", language)
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert count in html
    if language != "en":
        assert "Polling stations" not in html
        assert "Log out" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "count"), [
    ("KI0001-01", "محطة واحدة"),    # exactly one
    ("BA0001-0", "5 محطات"),        # 3 to 10
    ("KI", "12 محطة"),              # 11 to 99
    ("nothing-matches", "لا توجد أي محطة"),  # none
])
def test_arabic_counts_take_the_right_plural_form(client, stations, users, query: str,
                                                  count: str) -> None:
    client.force_login(users[Role.ADMIN])
    html = get(client, f"/staff/stations/?q={query}", "ar")
    assert f'<p class="count">{count}</p>' in html


@pytest.mark.parametrize(("language", "december"), [("ar", "كانون الأول"), ("ckb", "کانوونی یەکەم"),
                                                    ("en", "December")])
def test_dates_use_the_month_names_iraq_writes(client, election, language: str,
                                               december: str) -> None:
    """Polling day, 18 December 2023, as an Iraqi reader writes it (not ديسمبر)."""
    client.cookies["shafaf_language"] = language
    html = client.get("/").content.decode()
    assert f"18 {december} 2023" in html
    assert "ديسمبر" not in html


SHOW_LOG_IN = ("from shafaf.cli.web import setup_django; setup_django('development'); "
               "from django.utils import translation; translation.activate('ar'); "
               "print(translation.gettext('Log in'))")


def test_the_process_that_rebuilds_a_catalogue_serves_the_new_one(tmp_path: Path) -> None:
    """After an upgrade the first process compiles the new catalogue at start-up; it
    must not go on serving the old one it had already read (until a restart)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHAFAF_DATA_DIR"] = str(tmp_path)

    def shown() -> str:
        done = subprocess.run([sys.executable, "-c", SHOW_LOG_IN], env=env, check=True,
                              capture_output=True, text=True, timeout=120)
        return done.stdout.strip()

    arabic = catalogue("ar").find("Log in").msgstr
    assert shown() == arabic
    # An older catalogue that lacks the string, as the previous release left it.
    compiled = tmp_path / "locale" / "ar" / "LC_MESSAGES"
    polib.POFile().save_as_mofile(str(compiled / "django.mo"))
    (compiled / "django.sha256").write_text("the previous release's catalogue")
    assert shown() == arabic
