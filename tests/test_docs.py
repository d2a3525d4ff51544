"""The docs keep up with the code: every command and every setting is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from marsad.cli import build_parser

REPO = Path(__file__).resolve().parent.parent


def _documentation() -> str:
    """README and every page under docs/."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def _subcommands() -> list[str]:
    """Every top-level `marsad` subcommand."""
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_every_command_is_documented() -> None:
    docs = _documentation()
    missing = [name for name in _subcommands() if f"marsad {name}" not in docs]
    assert not missing, f"commands missing from README.md/docs: {missing}"


def test_every_setting_is_documented() -> None:
    source = (REPO / "marsad" / "settings.py").read_text(encoding="utf-8")
    variables = sorted(set(re.findall(r"MARSAD_[A-Z_]+", source)))
    assert variables, "no MARSAD_* settings found"
    docs = _documentation()
    missing = [name for name in variables if name not in docs]
    assert not missing, f"settings missing from README.md/docs: {missing}"
