"""Where policycheck keeps its caches: the user cache directory, platform by platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_directory(environ=os.environ) -> Path:
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "policycheck"


def private_directory(*parts: str) -> Path | None:
    """A directory of the user cache directory, created readable by its owner alone; None when
    it cannot be created or written (the caller then works without it)."""
    directory = default_directory().joinpath(*parts)
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return directory if os.access(directory, os.W_OK) else None


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
