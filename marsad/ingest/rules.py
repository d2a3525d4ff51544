"""Per-source extraction rules as data: where the body is, what to drop before extracting.

A rule names a CSS selector for the article body, one for its title and selectors for parts to
remove. Rules come from data/rules.json (by host) or from a source's options
(`{"rules": {"body": ..., "title": ..., "drop": [...]}}`).
The selectors are a small CSS subset, translated to XPath here: `tag`, `#id`, `.class`,
`[attr]`, `[attr=value]`, `[attr*=value]`, descendant (space) and child (`>`) combinators and
comma-separated lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

_SIMPLE = re.compile(
    r"(?P<tag>[a-zA-Z][a-zA-Z0-9]*|\*)?"
    r"(?P<rest>(?:[#.][\w\-]+|\[[\w\-]+(?:[*^$]?=[\"']?[^\]\"']*[\"']?)?\])*)$"
)
_PART = re.compile(r"[#.][\w\-]+|\[([\w\-]+)(?:([*^$]?=)[\"']?([^\]\"']*)[\"']?)?\]")


class SelectorError(ValueError):
    """A selector outside the supported CSS subset."""


@dataclass(frozen=True)
class Rules:
    """Extraction rules for one source: a body selector, a title selector and selectors to
    drop."""

    body: str | None = None
    drop: tuple[str, ...] = field(default_factory=tuple)
    title: str | None = None

    @property
    def empty(self) -> bool:
        """Whether these rules change nothing."""
        return self.body is None and self.title is None and not self.drop


def rules_from_data(data: Mapping[str, Any] | None) -> Rules:
    """Rules from a JSON-like mapping `{"body": "...", "title": "...", "drop": ["...", ...]}`."""
    if not data:
        return Rules()
    drop = data.get("drop") or []
    if isinstance(drop, str):
        drop = [drop]
    rules = Rules(
        body=data.get("body") or None,
        drop=tuple(str(d) for d in drop),
        title=data.get("title") or None,
    )
    for selector in (rules.body, rules.title, *rules.drop):
        if selector:
            css_to_xpath(selector)  # fail early, at configuration time
    return rules


@cache
def _builtin() -> dict[str, Any]:
    """Rules shipped in data/rules.json, by host."""
    raw = resources.files("marsad.ingest").joinpath("data/rules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def rules_for(url: str, options: Mapping[str, Any] | None = None) -> Rules:
    """The rules for a page: the source's own, else the shipped ones for its host."""
    if options and options.get("rules"):
        return rules_from_data(options["rules"])
    host = (urlsplit(url).hostname or "").lower()
    table = _builtin()
    for name in (host, host.removeprefix("www.")):
        if name in table:
            return rules_from_data(table[name])
    return Rules()


@cache
def css_to_xpath(selector: str) -> str:
    """Translate a selector of the supported CSS subset into an XPath expression."""
    alternatives = [s.strip() for s in selector.split(",") if s.strip()]
    if not alternatives:
        raise SelectorError(f"empty selector: {selector!r}")
    return " | ".join(_one_selector(s) for s in alternatives)


def _one_selector(selector: str) -> str:
    """One comma-free selector: simple selectors joined by combinators."""
    tokens = re.sub(r"\s*>\s*", " > ", selector).split()
    path, axis = "", "//"
    for token in tokens:
        if token == ">":
            axis = "/"
            continue
        path += axis + _simple(token)
        axis = "//"
    return "." + path


def _simple(token: str) -> str:
    """One simple selector (`div.body#main[lang=ar]`) as an XPath step."""
    found = _SIMPLE.match(token)
    if not found:
        raise SelectorError(f"unsupported selector: {token!r}")
    conditions = []
    for part in _PART.finditer(found.group("rest") or ""):
        text = part.group(0)
        if text.startswith("#"):
            conditions.append(f"@id='{text[1:]}'")
        elif text.startswith("."):
            conditions.append(
                f"contains(concat(' ', normalize-space(@class), ' '), ' {text[1:]} ')"
            )
        else:
            conditions.append(_attribute(part.group(1), part.group(2), part.group(3)))
    step = found.group("tag") or "*"
    return step + "".join(f"[{c}]" for c in conditions)


def _attribute(name: str, op: str | None, value: str | None) -> str:
    """An attribute test: presence, equality, substring, prefix or suffix."""
    if op is None:
        return f"@{name}"
    value = value or ""
    if op == "=":
        return f"@{name}='{value}'"
    if op == "*=":
        return f"contains(@{name}, '{value}')"
    if op == "^=":
        return f"starts-with(@{name}, '{value}')"
    return f"substring(@{name}, string-length(@{name}) - {len(value) - 1}) = '{value}'"
