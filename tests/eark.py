"""eark-validator (PyPI), offline: its vocabularies come from the copies the package ships.

At import the validator downloads four CSIP vocabularies from the E-ARK site, though its wheel
carries the same files; this machine (and CI) has no network, so the download is answered from
those shipped copies. Nothing else of the validator is changed.
"""

from __future__ import annotations

import gc
import importlib.util
import io
import urllib.request
import warnings
from pathlib import Path
from unittest import mock


def _vocabularies() -> Path:
    spec = importlib.util.find_spec("eark_validator")
    return Path(next(iter(spec.submodule_search_locations))) / "ipxml" / "resources" / "vocabs"


def _shipped_copy(url, *args, **kwargs):
    name = str(url).rsplit("/", 1)[-1]
    path = _vocabularies() / name
    if not path.exists():
        raise OSError(f"no shipped copy of {url}")
    return io.BytesIO(path.read_bytes())  # the validator iterates it and never closes it


def package_validator():
    """eark_validator.packages.PackageValidator, imported without network."""
    with mock.patch.object(urllib.request, "urlopen", _shipped_copy):
        from eark_validator.packages import PackageValidator
    return PackageValidator


def problems(package: Path) -> list[str]:
    """Every error and warning the validator reports on the package (a folder: a ZIP it would unpack
    into /tmp and leave there)."""
    validator = package_validator()
    with warnings.catch_warnings():
        # It leaves METS.xml open (information_package.py); collected here, not in a later test.
        warnings.simplefilter("ignore", ResourceWarning)
        report = validator(package).validation_report
        gc.collect()
    found = []
    for group in (report.structure, report.metadata):
        found += _messages(group)
    return found


def _messages(node) -> list[str]:
    out = []
    if node is None:
        return out
    data = node.model_dump() if hasattr(node, "model_dump") else node
    def walk(value):
        if isinstance(value, dict):
            if "severity" in value and "rule_id" in value \
                    and str(value["severity"]).lower().endswith(("error", "warning")):
                out.append(f"{value['rule_id']} {value['severity']}: {value.get('message', '')}"
                           f" {value.get('location', '')}")
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
    walk(data)
    return out
