"""Lättläst svenska covers the resident pages' interface, not only the survey's own texts: the
landing page, the questionnaire around the questions, the plain form, the receipt and the
privacy notice, each loaded as a resident who chose "Lättläst svenska" would."""

from __future__ import annotations

import html
import json
import re

import pytest

EASY = "?lang=sv-lattlast"


def _text(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    return html.unescape(answer.get_data(as_text=True))


@pytest.fixture
def slug(make):
    return make.dialogue().slug  # the demo survey, with sv, en and sv-lattlast


def test_the_landing_page_in_easy_swedish(client, slug):
    page = _text(client, f"/d/{slug}{EASY}")
    for easy in ("Det tar ungefär fem minuter. Du kan svara med eller utan kartan.",
                 "Vi vet inte vem du är. Vi frågar inte efter ditt namn. Vi sparar inte din IP-adress.",
                 "Linjen på kartan visar området som frågorna handlar om.",
                 "Vad händer med dina svar?", "Svara i ett enkelt formulär",
                 "Läs mer om hur vi tar hand om det du skickar"):
        assert easy in page
    assert "Ungefär fem minuter" not in page  # the plain Swedish sentence is replaced...
    assert "Lättläst svenska" in page  # ...and the language switcher is still there


def test_plain_swedish_is_unchanged_for_residents_who_chose_swedish(client, slug):
    _text(client, f"/d/{slug}{EASY}")  # a choice made earlier in the session...
    page = _text(client, f"/d/{slug}?lang=sv")  # ...and changed back
    assert "Ungefär fem minuter. Du kan svara med eller utan kartan." in page
    assert "Vi vet inte vem du är" not in page


def test_the_questionnaire_around_the_questions_and_its_map_help(client, slug):
    page = _text(client, f"/d/{slug}/svara{EASY}")
    for easy in ("Titta på dina svar", "Var är platsen?", "Vad handlar det du vill säga om?",
                 "Flytta kartan med två fingrar. Tryck med ett finger för att välja en plats.",
                 "Sök en adress eller en plats"):
        assert easy in page
    assert "Nästa" in page  # a word with no easy version stays plain Swedish
    # The script's sentences (map help, what the map announces) come from the same catalog.
    strings = json.loads(re.search(r'<script type="application/json" id="survey-strings"[^>]*>(.*?)</script>',
                                   page, re.S).group(1))
    assert strings["mapHelp"].startswith("Tryck på kartan där du vill säga något.")
    assert strings["outside"] == "Platsen är utanför området. Välj en plats innanför linjen."


def test_the_plain_form_the_receipt_and_the_privacy_notice(client, slug):
    plain = _text(client, f"/d/{slug}/enkel{EASY}")
    assert "Här är alla frågor på en sida." in plain
    thanks = _text(client, f"/d/{slug}/tack{EASY}")
    assert "Vad händer nu?" in thanks and "Tillbaka till början" in thanks
    notice = _text(client, f"/d/{slug}/personuppgifter{EASY}")
    for easy in ("Vem har ansvaret?", "Vad sparar vi?", "Vem kan se vad?", "Det här får du göra"):
        assert easy in notice
