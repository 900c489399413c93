"""Each dialogue's privacy notice is written from its settings, and linked from landing page and consent."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Dialogue, Municipality

from .test_accessibility_statement import text_of


def notice(client, slug: str, lang: str = "sv") -> str:
    response = client.get(f"/d/{slug}/personuppgifter?lang={lang}")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def test_a_strict_dialogue_says_what_its_settings_say(client, make):
    municipality = make.municipality(name="Huddinge", privacy_contact="dataskyddsombud@huddinge.se")
    dialogue = make.dialogue(
        make.area(municipality), title="Torget i Flemingsberg", moderation="pre", photos_allowed=False,
        show_others_pins=False, closes_on=date(2027, 1, 31), opens_on=date(2026, 11, 1),
        diarienummer="KS 2026/0412", retention_months=24,
        retention_decision="Dokumenthanteringsplan för kommunstyrelsen, punkt 3.4")
    page = notice(client, dialogue.slug)
    assert "Så hanterar vi det du skickar i ”Torget i Flemingsberg”" in page
    assert "Huddinge är personuppgiftsansvarig" in page and "Diarienummer: KS 2026/0412." in page
    assert "dataskyddsombud@huddinge.se" in page
    assert "Arbetsgruppen läser varje synpunkt innan någon annan kan se den." in page
    assert "I den här dialogen kan du inte skicka foton." in page and "Ett foto, om du lägger" not in page
    assert "Alla: ingen enskild synpunkt visas på dialogens sida." in page
    assert "raderas 24 månader efter att dialogen stängdes" in page
    assert "från och med 2029-01-31" in page and "punkt 3.4" in page
    assert "Den raderas inte: den sparas med de andra svaren som allmän handling." in page
    assert "färre än 5 svar döljs" in page and "bara sammanställningar" in page
    assert "Frågor om dig, till exempel din ålder" in page  # the main survey asks optional demographics
    assert "din IP-adress" in page and "Integritetsskyddsmyndigheten" in page


def test_an_open_dialogue_says_so_and_follows_changes_of_its_settings(client, make):
    dialogue = make.dialogue(moderation="post", photos_allowed=True, show_others_pins=True)
    slug, dialogue_id, municipality_id = dialogue.slug, dialogue.id, dialogue.municipality_id
    page = notice(client, slug)
    assert "Synpunkter visas direkt; arbetsgruppen läser dem i efterhand." in page
    assert "Foton görs mindre och all dold information i dem" in page
    assert "Alla: publicerade synpunkter, med plats, värde och foto" in page
    assert "sparas enligt kommunens arkivregler" in page  # no retention decision: kept
    assert "kommunens dataskyddsombud" in page  # no contact given: where to find one

    db.session.get(Dialogue, dialogue_id).retention_months = 1
    db.session.get(Municipality, municipality_id).grants_network_raw_access = True
    db.session.commit()
    page = notice(client, slug)
    assert "raderas 1 månad efter att dialogen stängdes" in page
    assert "och själva synpunkterna, vilket kommunen har tillåtit" in page
    assert "How we handle what you send in" in notice(client, slug, "en")


def test_the_landing_page_and_the_consent_step_link_to_the_notice(client, make):
    dialogue = make.dialogue()
    link = f'href="/d/{dialogue.slug}/personuppgifter"'
    assert link in client.get(f"/d/{dialogue.slug}?lang=sv").get_data(as_text=True)
    questionnaire = client.get(f"/d/{dialogue.slug}/svara?lang=sv").get_data(as_text=True)
    consent = questionnaire[questionnaire.index('class="choice consent"'):]
    assert link in consent[:600]


def test_a_draft_has_no_public_notice(client, make):
    dialogue = make.dialogue(status="draft")
    assert client.get(f"/d/{dialogue.slug}/personuppgifter").status_code == 404
