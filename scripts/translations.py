"""Keep the Swedish catalog in step with the code: extract, update, and list what lacks a translation.

    .venv/bin/python scripts/translations.py          # extract + update app/translations/sv
    .venv/bin/python scripts/translations.py --check  # exit 1 if any message lacks Swedish
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]
POT = REPO / "app" / "translations" / "messages.pot"
SV = REPO / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
# Lättläst svenska: easy-to-read sentences for some of the same msgids (app/i18n.py), edited by hand.
EASY = REPO / "app" / "translations" / "sv" / "LC_MESSAGES" / "lattlast.po"


def untranslated() -> list[str]:
    """Message ids in the Swedish catalog that have no translation (or a fuzzy one)."""
    with SV.open("rb") as f:
        catalog = read_po(f)
    def empty(string) -> bool:  # a plural entry's string is a tuple: every form needs a text
        return not all(string) if isinstance(string, tuple) else not string

    return [str(m.id) for m in catalog if m.id and (empty(m.string) or m.fuzzy)]


def easy_swedish_problems() -> list[str]:
    """Entries of the Lättläst catalog whose msgid the code no longer has, or that lack a text."""
    with SV.open("rb") as f:
        known = {m.id for m in read_po(f) if m.id}
    with EASY.open("rb") as f:
        easy = [m for m in read_po(f) if m.id]
    return ([f"lättläst utan meddelande i koden: {m.id}" for m in easy if m.id not in known]
            + [f"lättläst utan text: {m.id}" for m in easy if not m.string])


def main() -> int:
    if "--check" not in sys.argv:
        pybabel = [sys.executable, "-m", "babel.messages.frontend"]
        subprocess.run([*pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                        "--no-location", "--sort-output", "--width", "100", "-o", str(POT), "."], cwd=REPO, check=True,
                       capture_output=True)
        command = "update" if SV.exists() else "init"
        subprocess.run([*pybabel, command, "-i", str(POT), "-d", "app/translations", "-l", "sv",
                        "--no-fuzzy-matching", "--width", "100"] if command == "update" else
                       [*pybabel, command, "-i", str(POT), "-d", "app/translations", "-l", "sv"],
                       cwd=REPO, check=True, capture_output=True)
    missing = untranslated()
    for message in missing:
        print(f"saknar svenska: {message}")
    problems = easy_swedish_problems() if EASY.exists() else []
    for problem in problems:
        print(problem)
    return 1 if missing or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
