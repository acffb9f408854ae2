"""Safe YAML loading, through libyaml when PyYAML was built with it.

The shipped catalogue, extraction rules and place names are read on every run; libyaml's safe
loader reads them about ten times faster than the pure-Python one and builds the same data
(plain dicts, lists and scalars: never objects).
"""

from __future__ import annotations

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """Parse YAML text into plain data; raises yaml.YAMLError like ``yaml.safe_load``."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
