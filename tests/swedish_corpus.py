"""Swedish map comments written for the tests, with the theme each one is about.

Every comment is built from a theme's phrases in varied word forms (lampa, lamporna, belysningen),
so a theme finder that only matched exact words would not find them together.
"""

from __future__ import annotations

import random

# (value, sentiment) -> theme -> phrases; a comment joins two phrases of one theme and a filler.
THEMES = {
    ("safety", "negative"): {
        "lighting": [
            "Belysningen är trasig längs gångvägen", "Lamporna vid busshållplatsen är släckta",
            "Det är mörkt och gatlamporna fungerar inte", "Ingen belysning alls på kvällen",
            "En lampa har varit sönder i månader", "Mörkret gör att man inte ser någon",
            "Lampan vid tunneln blinkar och slocknar", "Belysning saknas vid parkeringen",
        ],
        "traffic": [
            "Bilarna kör alldeles för fort", "Trafiken vid skolan är farlig för barnen",
            "Bilister struntar i övergångsstället", "Mopeder kör på gångbanan",
            "Korsningen är livsfarlig i rusningstrafik", "Farten på bilarna är hög",
            "Lastbilar backar över trottoaren", "Trafiken borde ledas om från bostadsgatan",
        ],
    },
    ("justice", "idea"): {
        "meeting_places": [
            "Vi behöver en mötesplats för unga", "Fler bänkar där grannar kan träffas",
            "En träffpunkt för äldre i centrum", "Öppna fritidsgården på helgerna",
            "Ett kafé där alla kan mötas", "Mötesplatser inomhus för vintern",
            "Bänkarna på torget borde bli fler", "Unga saknar en fritidsgård att träffas på",
        ],
        "accessibility": [
            "Bygg en ramp vid trappan", "Rullstol kommer inte fram till entrén",
            "Trapporna stänger ute den med rullator", "Hissen vid stationen är alltid trasig",
            "Ramper behövs vid alla entréer", "Med barnvagn och rullator är det omöjligt",
            "Hissarna borde lagas snabbare", "Rullstolsburna kan inte ta sig över bron",
        ],
    },
}
FILLERS = ["", " tyvärr.", " på kvällarna.", " i hela området.", " sedan länge.", " enligt mig."]


def corpus(per_theme: int = 30, seed: int = 3) -> list[tuple[str, str, str, str]]:
    """(value, sentiment, theme, text) for per_theme comments of every theme, shuffled."""
    rng = random.Random(seed)
    rows = []
    for (value, sentiment), themes in THEMES.items():
        for theme, phrases in themes.items():
            for _ in range(per_theme):
                first, second = rng.sample(phrases, 2)
                rows.append((value, sentiment, theme,
                             f"{first}. {second.lower()}{rng.choice(FILLERS) or '.'}"))
    rng.shuffle(rows)
    return rows


# Lemmas that show a suggestion is about the theme.
THEME_WORDS = {
    "lighting": {"belysning", "lampa", "gatlampa", "mörk", "mörker"},
    "traffic": {"bil", "trafik", "fart", "bilist", "korsning", "lastbil", "moped"},
    "meeting_places": {"mötesplats", "bänk", "träffpunkt", "fritidsgård", "kafé", "träffas", "mötas"},
    "accessibility": {"ramp", "rullstol", "trappa", "hiss", "rullator", "entré"},
}
