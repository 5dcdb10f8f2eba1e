"""Validate rendered pages with the Nu HTML Checker (vnu.jar from the npm package vnu-jar, fetched by `make venv`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / ".venv" / "vnu" / "vnu.jar"


def vnu_jar() -> Path:
    if not VNU_JAR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{VNU_JAR} is missing: `make venv` fetches it (npm pack vnu-jar).")
        pytest.skip("the Nu HTML Checker is not installed (make venv fetches it with npm)")
    return VNU_JAR


def validate_pages(pages: dict[str, str]) -> list[str]:
    """Return the validator's errors as 'page: message' lines (empty when every page is valid)."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is needed for the HTML validator")
        pytest.skip("java is needed for the HTML validator")
    jar = vnu_jar()
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for name, html in pages.items():
            path = Path(tmp) / (name.strip("/").replace("/", "_") or "home")
            path = path.with_suffix(".html")
            path.write_text(html, encoding="utf-8")
            files[str(path)] = name
        result = subprocess.run(
            [java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
        )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = []
    for m in messages:
        page = files.get(m.get("url", "").replace("file:", ""), m.get("url", ""))
        errors.append(f"{page}: {m.get('message')} [{m.get('extract', '')!r}]")
    return errors
