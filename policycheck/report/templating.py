"""Jinja2 environment for the shipped templates, and a sandboxed one for users' templates."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

_COLORS = {"red": "31", "yellow": "33", "blue": "34", "green": "32", "bold": "1", "dim": "2", "cyan": "36"}


def _style(text, color_name: str, enabled: bool) -> str:
    if not enabled:
        return str(text)
    return f"\x1b[{_COLORS[color_name]}m{text}\x1b[0m"


def _common(env: Environment) -> Environment:
    env.filters["style"] = _style
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.keep_trailing_newline = True
    return env


@lru_cache(maxsize=1)
def shipped_environment() -> Environment:
    env = Environment(loader=PackageLoader("policycheck.report", "templates"),
                      autoescape=select_autoescape(["html", "html.j2"]), undefined=StrictUndefined)
    return _common(env)


def user_environment() -> SandboxedEnvironment:
    """User templates are data: they render in Jinja2's sandbox, with HTML autoescaping."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    _common(env)
    return env
