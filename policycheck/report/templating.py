"""Jinja2 environments: one per output kind for the shipped templates, a sandbox for users'.

The output kind decides how every ``{{ value }}`` is escaped, so escaping is not left to each
template: ``html`` autoescapes, ``markdown`` escapes Markdown and HTML, ``text`` removes
terminal control characters. A template marks its own trusted markup with ``| safe``.
Users' templates (``--template``) render in Jinja2's immutable sandbox, with the kind taken
from the file name (``report.html.j2`` is html, ``summary.md.j2`` markdown, anything else text).
"""

from __future__ import annotations

import os
import sys
from base64 import b64encode
from hashlib import sha256
from functools import lru_cache

import jinja2
from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, PackageLoader, StrictUndefined, Template,
                    TemplateError, TemplateSyntaxError)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from policycheck.cachedir import private_directory
from policycheck.errors import UsageError
from policycheck.textfile import read_text_file
from policycheck.report.escaping import control_free, markdown_code, markdown_text, markdown_url, safe_url, terminal_text

KINDS = ("text", "markdown", "html")

_COLORS = {"red": "31", "yellow": "33", "blue": "34", "green": "32", "bold": "1", "dim": "2",
           "cyan": "36", "magenta": "35"}


class Styled(str):
    """Text with terminal colour codes added by the ``style`` filter; printed as it is."""


def _style(text: object, color_name: str, enabled: bool) -> str:
    clean = text if isinstance(text, Styled) else terminal_text(text)
    if not enabled:
        return Styled(clean)
    return Styled(f"\x1b[{_COLORS[color_name]}m{clean}\x1b[0m")


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    """``3 | plural("error")`` -> "3 errors"."""
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


def _finalize_text(value: object) -> object:
    if isinstance(value, (Styled, Markup, int, float)):
        return value
    return terminal_text("" if value is None else value)


def _finalize_html(value: object) -> object:
    if isinstance(value, (Markup, int, float)):
        return value
    return control_free(str("" if value is None else value))     # then autoescaped


def _finalize_markdown(value: object) -> object:
    if isinstance(value, (Markup, int, float)) and not isinstance(value, bool):
        return value
    return Markup(markdown_text("" if value is None else value))


def _csp_hash(text: object) -> str:
    """The Content-Security-Policy source expression that allows exactly this inline text."""
    return "sha256-" + b64encode(sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def _configure(env: Environment, kind: str) -> Environment:
    env.filters["style"] = _style
    env.filters["plural"] = _plural
    env.filters["md"] = lambda value: Markup(markdown_text(value))
    env.filters["safe_url"] = safe_url
    env.filters["code"] = lambda value: Markup(markdown_code(value))
    env.filters["md_url"] = lambda value: Markup(markdown_url(value)) if markdown_url(value) else None
    env.filters["csp_hash"] = _csp_hash
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.keep_trailing_newline = True
    if kind == "text":
        env.finalize = _finalize_text
    elif kind == "markdown":
        env.finalize = _finalize_markdown
    else:
        env.finalize = _finalize_html
    return env


# Names that ``getattr`` finds on a plain dict (its methods); any other name is looked up as a key.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _ShippedEnvironment(Environment):
    """The shipped templates read the context: plain dicts, thousands of ``finding.status`` a
    report. Jinja2 answers ``x.name`` by trying the attribute first, and a dict has none but its
    methods, so every such read raised and caught an AttributeError before ``x["name"]`` (most of
    the time of rendering a report). A dict key that no method shadows is read directly here: the
    same value, and the same undefined value when the key is missing."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=None)
def shipped_environment(kind: str) -> Environment:
    """The environment for the templates in policycheck/report/templates of one output kind."""
    env = _ShippedEnvironment(loader=PackageLoader("policycheck.report", "templates"), autoescape=kind == "html",
                      undefined=StrictUndefined, bytecode_cache=_bytecode_cache(kind))
    return _configure(env, kind)


def _bytecode_cache(kind: str) -> FileSystemBytecodeCache | None:
    """Compiling a shipped template costs more than checking a small contract, so the compiled
    form is kept in the user cache directory (like Python's own ``__pycache__``; Jinja2 checks
    each entry against the template's source and its own version). Never for users' templates."""
    directory = private_directory("templates-v1", f"{sys.implementation.cache_tag}-jinja2-{jinja2.__version__}", kind)
    return FileSystemBytecodeCache(str(directory)) if directory is not None else None


def kind_of_template(path: str) -> str:
    name = os.path.basename(path).lower()
    for suffix in (".j2", ".jinja2", ".jinja"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith((".html", ".htm", ".xhtml", ".xml", ".svg")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    return "text"


MAX_TEMPLATE_BYTES = 1024 * 1024


class _SafeFileLoader(FileSystemLoader):
    """Jinja2's loader for a user template's ``{% include %}`` and ``{% extends %}``, reading each
    file through the one safe reader (a regular file within the size limit: never a pipe)."""

    def get_source(self, environment, template):
        from jinja2.loaders import split_template_path

        path = os.path.join(self.searchpath[0], *split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        source = read_text_file(path, kind="template", max_bytes=MAX_TEMPLATE_BYTES, error=UsageError)
        modified = os.path.getmtime(path)
        return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == modified


def user_template(path: str) -> Template:
    """A user's template, compiled in the sandbox; errors name the file and line (exit 2)."""
    kind = kind_of_template(path)
    env = ImmutableSandboxedEnvironment(loader=_SafeFileLoader(os.path.dirname(os.path.abspath(path))),
                                        autoescape=kind == "html", undefined=StrictUndefined)
    _configure(env, kind)
    try:
        source = read_text_file(path, kind="template", max_bytes=MAX_TEMPLATE_BYTES, error=UsageError)
    except UsageError as exc:
        raise UsageError(f"cannot read template {path}: {exc.message}") from None
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:
        raise UsageError(f"template syntax error: {exc.message}", path=path, line=exc.lineno,
                         column=None, source_line=None) from None
    except TemplateError as exc:
        raise UsageError(f"template error: {exc}", path=path) from None
