"""The site's words per edition (issue 21): gettext catalogues that cover every message of the
templates and code, CLDR dates in the edition's locale, records shown in its language."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import ROOT

from generator.i18n import LOCALES, Words, catalogue, localised
from generator.model import PartialDate

ARABIC = Words("ar", "ar_SY", native=False)


def pot_ids() -> set:
    with (LOCALES / "messages.pot").open("rb") as pot:
        return {message.id for message in read_po(pot) if message.id}


def test_the_template_lists_every_message_of_the_code_and_templates():
    """As `make messages` collects them, by generator/locale/babel.cfg (the schema's field labels
    among them, form.extract_labels)."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "N2_": (1, 2)}
    with (LOCALES / "babel.cfg").open(encoding="utf-8") as config:
        methods, options = parse_mapping_cfg(config)
    found = {
        message[2] if isinstance(message[2], str) else tuple(message[2])
        for message in extract_from_dir(ROOT, methods, options, keywords=keywords)
        if message[0].startswith("generator")
    }
    assert found == pot_ids(), "run make messages"


def test_every_catalogue_translates_every_message():
    wanted = pot_ids()
    for po in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as file:
            messages = {m.id: m.string for m in read_po(file) if m.id}
        missing = [m for m in wanted if not (messages.get(m) and all(messages[m]))]
        assert not missing, f"{po}: {missing[:5]}"


def test_the_records_own_language_needs_no_catalogue():
    english = Words()
    assert catalogue("en").gettext("Towns") == "Towns"
    assert english.long_label(PartialDate(2015, 8)) == "August 2015, day unknown"
    assert (
        str(english.when(PartialDate(2015, 8)))
        == '<time datetime="2015-08">August 2015</time> <span class="tl-precision">(day unknown)</span>'
    )


def test_arabic_words_dates_and_numbers():
    assert ARABIC._("Towns") == "البلدات"
    assert ARABIC.label(PartialDate(2015, 8, 8)) == "8 آب 2015"  # ar_SY: the Levantine month
    assert ARABIC.long_label(PartialDate(2015, 8)) == "آب 2015، اليوم غير معروف"
    assert "(اليوم غير معروف)" in ARABIC.when(PartialDate(2015, 8))
    assert str(ARABIC.type_label("battle")) == '<span class="tl-type">معركة</span>'
    assert Words("ar", "ar", native=False).label(PartialDate(2015, 8, 8)) == "8 أغسطس 2015"
    assert ARABIC.direction == "rtl" and Words().direction == "ltr"


def test_an_edition_shows_records_in_its_language_and_marks_the_rest(sample_dataset):
    local = localised(sample_dataset, "ar")
    assert local.towns["umm-housh"].name == "أم حوش"
    incident = local.incidents[0]
    assert incident.title == incident.translated("title", "ar")
    assert str(ARABIC.text(incident, "title")) == incident.title.replace("&", "&amp;")
    untranslated = sample_dataset.incidents[0].__class__(
        **{**vars(sample_dataset.incidents[0]), "translations": (), "title": "Marea <b>"}
    )
    marked = str(ARABIC.text(untranslated, "title"))
    assert marked == '<span lang="en" dir="ltr">Marea &lt;b&gt;</span>'  # escaped, marked English
    assert ARABIC.untranslated(untranslated) and not Words().untranslated(untranslated)
