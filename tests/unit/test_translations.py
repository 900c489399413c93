"""Every text a person reads exists in Swedish."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "translations.py"


def test_every_interface_message_has_a_swedish_translation():
    spec = importlib.util.spec_from_file_location("translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.untranslated() == []


def test_every_easy_swedish_sentence_belongs_to_a_message_the_code_has():
    spec = importlib.util.spec_from_file_location("translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.easy_swedish_problems() == []
