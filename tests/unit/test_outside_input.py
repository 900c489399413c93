"""The one set of rules for input from outside: whole numbers, survey YAML, text for Excel."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
import yaml
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from app.config import _instance_secret
from app.export.tabular import neutralise
from app.inputs import MAX_ID, whole_number
from app.surveys import check_file, cli
from app.surveys.yamlsource import MAX_DEPTH, YamlSyntaxError, parse_yaml

from .survey_helpers import MINIMAL, write


@given(st.integers(0, MAX_ID))
def test_a_whole_number_in_ascii_digits_is_read(number):
    assert whole_number(str(number)) == number
    assert whole_number(f"{number:015d}") == number  # leading zeros, as a form may send


@pytest.mark.parametrize("raw", ["²", "١٢", "１２", "12²", " 12", "12 ", "+1", "-1", "1_000", "0x10",
                                 "1e3", "", "\x00", str(MAX_ID + 1), "9" * 40, "٣"])
def test_anything_else_is_not_a_whole_number(raw):
    assert whole_number(raw) is None


def test_json_numbers_are_checked_for_range_and_booleans_are_not_numbers():
    assert whole_number(5) == 5
    assert whole_number(10**30) is None
    assert whole_number(-1) is None
    assert whole_number(True) is None
    assert whole_number(2.0) is None


def alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["ha","ha","ha","ha","ha","ha","ha","ha","ha","ha"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_is_built():
    bomb = alias_bomb(12)  # 10**12 values once expanded, from under a kilobyte
    assert len(bomb) < 1000
    with pytest.raises(YamlSyntaxError) as refused:
        parse_yaml(bomb)
    assert "alias" in refused.value.message


def test_a_few_aliases_are_still_fine():
    assert parse_yaml("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text, words", [
    ("a: " + "[" * 100_000 + "]" * 100_000, "längre än"),
    ("a: " + "[" * 5000 + "]" * 5000, "nivåer"),
    ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, MAX_DEPTH + 3)), "nivåer"),
    ("a: &a [*a]\n", "sig självt"),
])
def test_deep_long_or_recursive_yaml_is_refused_with_a_reason(text, words):
    with pytest.raises(YamlSyntaxError) as refused:
        parse_yaml(text)
    assert words in refused.value.message


def test_the_cli_and_the_file_check_refuse_a_bomb_with_a_line(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(MINIMAL_WITH_BOMB, encoding="utf-8")
    problems = check_file(path)
    assert len(problems) == 1 and "alias" in problems[0].message and problems[0].line
    app = Flask("cli")
    cli.init_app(app)
    result = app.test_cli_runner().invoke(args=["survey", "check", str(path)])
    assert result.exit_code == 1 and "alias" in result.output
    assert check_file(write(tmp_path, MINIMAL, "ok.yaml")) == []


MINIMAL_WITH_BOMB = (yaml.safe_dump(MINIMAL, allow_unicode=True, sort_keys=False)
                     + alias_bomb(9).replace("a0:", "x_a0:", 1))


def test_lone_surrogates_never_reach_an_excel_cell():
    assert neutralise("Mörkt\udfff här") == "Mörkt\ufffd här"
    assert neutralise("=\ud800SUM(A1)") == "'=\ufffdSUM(A1)"


def _read_secret(directory: str, start, queue) -> None:
    start.wait()
    queue.put(_instance_secret(Path(directory)))


def test_workers_starting_at_once_all_get_the_same_new_secret(tmp_path):
    context = multiprocessing.get_context("fork")
    start, queue = context.Barrier(8), context.Queue()
    workers = [context.Process(target=_read_secret, args=(str(tmp_path / "instance"), start, queue))
               for _ in range(8)]
    for worker in workers:
        worker.start()
    secrets = {queue.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert len(secrets) == 1 and len(secrets.pop()) >= 40
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["secret_key"]  # no leftovers
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("body, refused", [
    ('{"a": [1, true, null, 2.5, {"b": "tr\\udfffasig"}]}', "surrogat"),
    ('{"a\\udfff": 1}', "surrogat"),
    (b'{"a": "\xed\xbf\xbf"}', "surrogat"),
    ("[" * 33 + "]" * 33, "nästlade"),
    ("[" * 100_000 + "]" * 100_000, "nästlade"),
    ('{"emoji": "\\ud83d\\ude00", "n": [1, true, null], "deep": ' + "[" * 31 + "]" * 31 + "}", None),
])
def test_the_json_provider_refuses_deep_bodies_and_lone_surrogates_once_for_all(body, refused):
    from app import create_app
    from app.inputs import BadJSON

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        if refused is None:
            assert app.json.loads(body)["emoji"] == "😀"
        else:
            with pytest.raises(BadJSON) as error:
                app.json.loads(body)
            assert refused in error.value.description
