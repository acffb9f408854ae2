"""A rule's ``see`` link named by what it points to ("GDPR Art. 28", "Directive 93/13/EEC", or the host).

A link labelled "policy guide" tells a reviewer nothing before they click it. European law has
stable identifiers (ELI: ``eur-lex.europa.eu/eli/reg/2016/679/oj``, an article as ``art_28``),
and a few acts are known by a short name; any other link is named by its host.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from policycheck.report.escaping import safe_url

# Acts better known by a short name than by their number (type, year, number).
_KNOWN_ACTS = {
    ("reg", "2016", "679"): "GDPR",
    ("reg", "2022", "2065"): "Digital Services Act",
    ("reg", "2022", "1925"): "Digital Markets Act",
    ("reg", "2024", "1689"): "AI Act",
    ("dir", "1993", "13"): "Directive 93/13/EEC",
    ("dir", "2011", "83"): "Consumer Rights Directive",
}
_ELI = re.compile(r"/eli/(reg|dir|dec)(?:_impl|_del)?/(\d{4})/(\d+)(?:/(?:art_(\d+[a-z]?)))?", re.IGNORECASE)
_ACT_KINDS = {"reg": "Regulation", "dir": "Directive", "dec": "Decision"}
# gdpr-info.eu/art-28-gdpr/ and similar article pages of one act.
_GDPR_INFO_ARTICLE = re.compile(r"/art-(\d+)-gdpr", re.IGNORECASE)


def link_label(url: object) -> str | None:
    """The name a link is shown with, or None when ``url`` is not an http(s) link."""
    return _label(url) if isinstance(url, str) else None


@lru_cache(maxsize=256)           # a run has a few links, each on many findings
def _label(url: str) -> str | None:
    safe = safe_url(url)
    if safe is None:
        return None
    parts = urlsplit(safe)
    host = (parts.hostname or "").lower()
    if host.endswith("eur-lex.europa.eu"):
        match = _ELI.search(parts.path)
        if match:
            kind, year, number, article = match.groups()
            name = _KNOWN_ACTS.get((kind.lower(), year, number)) or f"{_ACT_KINDS[kind.lower()]} {year}/{number}"
            return f"{name} Art. {article}" if article else name
    if host.endswith("gdpr-info.eu"):
        match = _GDPR_INFO_ARTICLE.search(parts.path)
        return f"GDPR Art. {match.group(1)}" if match else "GDPR"
    return host[4:] if host.startswith("www.") else host
