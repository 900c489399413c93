"""Automatic flags on residents' text, with realistic Swedish comments."""

import pytest

from app.moderation.flags import flags_for, luhn_valid


@pytest.mark.parametrize("text, expected", [
    ("Ring mig på 070-123 45 67 om ni vill veta mer om belysningen.", ["phone"]),
    ("Mitt nummer är +46 70 123 45 67, hör av er!", ["phone"]),
    ("Kontakta mig på 0701234567", ["phone"]),
    ("Fritidsgården svarar på 08-12 34 56 på kvällarna.", ["phone"]),
    ("Mitt personnummer är 811218-9876 om ni behöver det.", ["personnummer"]),
    ("Jag heter Anna, 19811218-9876.", ["personnummer"]),
    ("Samordningsnummer 701063-2391", ["personnummer"]),
    ("Mejla mig: anna.svensson@exempel.se så berättar jag mer.", ["email"]),
    ("Vilka jävla idioter som har byggt den här trappan.", ["offensive"]),
    ("This underpass is shit at night.", ["offensive"]),
    ("Anna 811218-9876, anna@exempel.se, 070-123 45 67, jävla skräp",
     ["personnummer", "phone", "email", "offensive"]),
    ("Billiga klockor på http://example.com/erbjudande", ["link"]),
    ("Läs mer på www.spam-exempel.se innan ni bygger!", ["link"]),
    ("Se bit.ly/3xYz för bilder", ["link"]),
    ("HTTPS://EXEMPEL.NU/x", ["link"]),
])
def test_personal_data_and_offensive_words_are_flagged(text, expected):
    assert flags_for(text) == expected


@pytest.mark.parametrize("text", [
    "Det är mörkt vid busshållplatsen på kvällen och buskarna är höga.",
    "Buss 179 går var tionde minut, men bara till kl 23.",
    "Ett nummer som 811218-9875 har fel kontrollsiffra och är inget personnummer.",
    "Huset byggdes 1971 och renoverades 2019-05-01.",
    "Postnummer 164 40 Kista.",
    "Horisonten är vacker härifrån, och Kukkola ligger långt bort.",
    "Fler bänkar t.ex. vid torget, kl. 10.30 är det fullt.",
    "Bra park.Se till att den hålls ren.",
])
def test_ordinary_comments_are_not_flagged(text):
    assert flags_for(text) == []


def test_the_luhn_check_digit_decides():
    assert luhn_valid("8112189876")
    assert not luhn_valid("8112189875")
