"""Escaping contract text for each kind of output.

Contract text is hostile input as far as reports are concerned: a clause may contain HTML,
Markdown, terminal escape sequences or GitHub workflow-command syntax. Every output kind has
one function here that makes such text inert, and the templates apply it to every value they
print (see templating.py), so a template cannot forget it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import escape as _html_escape

from policycheck.logtext import control_free, terminal_text  # noqa: F401 - the one terminal escaper


# Characters that start inline Markdown constructs (emphasis, code, links, tables,
# strikethrough, headings) are backslash-escaped; HTML's three become entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_MENTION = re.compile(r"(?<![\w@])@(?=\w)")


def markdown_text(value: object) -> str:
    """Inline Markdown that renders as the literal text and carries no markup of its own.

    Line breaks become spaces (the text always sits inside a table cell or a list item),
    ``@name`` gets a zero-width space so a pull-request comment mentions nobody.
    """
    raw = str(value)
    text = control_free(" ".join(raw.split()))
    if text:
        # One space survives at either end, so "before", quote and "after" join as one sentence.
        text = (" " if raw[:1].isspace() else "") + text + (" " if raw[-1:].isspace() else "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub("@\u200b", text)


def html_text(value: object) -> str:
    return str(_html_escape(value))


def github_data(value: object) -> str:
    """The message part of a workflow command (``::error ...::DATA``), per GitHub's escaping."""
    return control_free(str(value)).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: object) -> str:
    """A property value of a workflow command (``file=...,title=...``)."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def safe_url(value: object) -> str | None:
    """The URL when it is an absolute http(s) URL, else None (never a javascript: link)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def markdown_code(value: object) -> str:
    """An inline code span for an identifier (rule ids); plain escaped text if it holds a backtick."""
    text = " ".join(control_free(str(value)).split())
    if "`" in text or not text:
        return markdown_text(text)
    return "`" + text.replace("|", "\\|") + "`"


def markdown_url(value: object) -> str | None:
    """A link destination ``<...>`` for an http(s) URL, or None; safe inside a table cell."""
    url = safe_url(value)
    if url is None:
        return None
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C") + ">"
