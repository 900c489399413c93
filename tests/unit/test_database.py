"""Start-up checks of the embedded database."""

import subprocess
import sys

import pytest

from app.database import SPATIALITE_INSTALL, SpatiaLiteMissing, check_spatialite


def test_missing_spatialite_names_the_install_command(monkeypatch):
    monkeypatch.setenv("SPATIALITE_LIBRARY_PATH", "/nonexistent/mod_spatialite")
    with pytest.raises(SpatiaLiteMissing) as error:
        check_spatialite()
    assert SPATIALITE_INSTALL in str(error.value)


def test_the_cli_says_one_line_instead_of_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "routes"],
        env={"SPATIALITE_LIBRARY_PATH": "/nonexistent/mod_spatialite", "PATH": "/usr/bin:/bin",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert SPATIALITE_INSTALL in result.stderr
