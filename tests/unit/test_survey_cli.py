"""`flask survey check FILE...` prints every problem and sets the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.surveys import cli

from .survey_helpers import MINIMAL, with_questions, write

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


@pytest.fixture()
def runner():
    app = Flask("survey-cli-test")
    cli.init_app(app)
    return app.test_cli_runner()


def test_check_ok_prints_question_count_and_hash(runner, tmp_path):
    path = write(tmp_path, MINIMAL)
    result = runner.invoke(args=["survey", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {path} (3 frågor, hash ")
    assert len(result.output.split("hash ")[1].rstrip(")\n")) == 12


def test_check_prints_every_problem_and_exits_1(runner, tmp_path):
    good = write(tmp_path, MINIMAL, "bra.yaml")
    bad = write(tmp_path, with_questions(
        {"id": "x", "type": "slider", "text": "X"}, consent=False), "dalig.yaml")
    result = runner.invoke(args=["survey", "check", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("OK: ")
    assert len(lines) == 3
    assert all(line.startswith(f"{bad}:") for line in lines[1:])
    assert any("Okänd frågetyp 'slider'" in line for line in lines)


def test_check_missing_file_exits_1(runner, tmp_path):
    result = runner.invoke(args=["survey", "check", str(tmp_path / "nej.yaml")])
    assert result.exit_code == 1
    assert "kan inte läsas" in result.output


def test_check_our_templates(runner):
    paths = [str(p) for p in sorted(SURVEYS.glob("*.yaml"))]
    result = runner.invoke(args=["survey", "check", *paths])
    assert result.exit_code == 0, result.output
    assert result.output.count("OK: ") == 3
