"""Safe YAML loading that remembers where every mapping key, value and list item stands.

Configuration, waiver, baseline and extractor files are data: they are read with PyYAML's
SafeLoader (never a loader that can build Python objects). The mappings and lists it returns
carry the line and column of each key and item, and the span of each value, so a validation
error can point at the exact place, down to a column inside a one-line scalar (``span``,
``column_in``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import NamedTuple

from policycheck.errors import ConfigError

MAX_YAML_BYTES = 4 * 1024 * 1024


class Span(NamedTuple):
    """Where a value stands: its first and last-plus-one (line, column), 1-based, and its
    scalar style (None: plain or not a scalar; "'" or '"': quoted; "|" or ">": a block)."""

    line: int
    column: int
    end_line: int
    end_column: int
    style: str | None


class Mapping(dict):
    """A YAML mapping; ``where(key)`` is the (line, column) of the key, 1-based, and
    ``span(key)`` the Span of its value."""

    line: int = 0
    column: int = 0

    def where(self, key) -> tuple[int, int]:
        return getattr(self, "_places", {}).get(key, (self.line, self.column))

    def span(self, key) -> Span | None:
        return getattr(self, "_spans", {}).get(key)


class Sequence(list):
    """A YAML list; ``where(index)`` is the (line, column) of the item, 1-based, and
    ``span(index)`` its Span."""

    line: int = 0
    column: int = 0

    def where(self, index: int) -> tuple[int, int]:
        places = getattr(self, "_places", [])
        return places[index] if 0 <= index < len(places) else (self.line, self.column)

    def span(self, index: int) -> Span | None:
        spans = getattr(self, "_spans", [])
        return spans[index] if 0 <= index < len(spans) else None


def _place(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _span(node) -> Span:
    return Span(node.start_mark.line + 1, node.start_mark.column + 1, node.end_mark.line + 1,
                node.end_mark.column + 1, getattr(node, "style", None))


def _construct_mapping(loader, node) -> Mapping:
    import yaml

    loader.flatten_mapping(node)
    result = Mapping()
    result.line, result.column = _place(node.start_mark)
    places, spans = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value",
                                                    key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        places[key] = _place(key_node.start_mark)
        spans[key] = _span(value_node)
    result._places, result._spans = places, spans
    return result


def _construct_sequence(loader, node) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line, result.column = _place(node.start_mark)
    result._places = [_place(child.start_mark) for child in node.value]
    result._spans = [_span(child) for child in node.value]
    return result


@lru_cache(maxsize=1)
def _loader():
    """A SafeLoader that records positions. PyYAML is imported only when a file is read: a run
    with no configuration, waivers or baseline needs no YAML parser."""
    import yaml

    class PositionedLoader(yaml.SafeLoader):
        pass

    PositionedLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    PositionedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    for tag, what in (("timestamp", "a date"), ("int", "an integer"), ("float", "a number")):
        PositionedLoader.add_constructor(f"tag:yaml.org,2002:{tag}",
                                         _checked_scalar(PositionedLoader.yaml_constructors[f"tag:yaml.org,2002:{tag}"],
                                                         what))
    return PositionedLoader


def _checked_scalar(construct, what: str):
    """PyYAML's constructor of a scalar, with a value it cannot build (2026-02-30, month 13, an
    integer of more digits than Python converts) made a YAML error at the value's place."""
    import yaml

    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            detail = str(exc).split(";")[0]
            raise yaml.constructor.ConstructorError(
                None, None, f"'{_shorten(node.value)}' is not {what} ({detail})", node.start_mark) from None

    return checked


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "..."


def read_yaml(path: str, what: str):
    """Load a YAML file safely; every problem is a ConfigError naming the file (and the line)."""
    from policycheck.textfile import read_file_bytes

    if not os.path.lexists(path):
        raise ConfigError(f"{what} not found", path=path)
    data = read_file_bytes(path, kind=what.removesuffix(" file"), max_bytes=MAX_YAML_BYTES, error=ConfigError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{what} is not UTF-8 (invalid byte at offset {exc.start})", path=path, line=line) from None
    return parse_yaml(text, path, what)


def parse_yaml(text: str, path: str, what: str):
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if mark is None:
            raise ConfigError(f"{what} is not valid YAML: {problem}", path=path) from None
        lines = text.splitlines()
        source = lines[mark.line] if mark.line < len(lines) else None
        raise ConfigError(f"{what} is not valid YAML: {problem}", path=path, line=mark.line + 1,
                          column=mark.column + 1, source_line=source) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} is not valid YAML: {exc}", path=path) from None
    except RecursionError:
        raise ConfigError(f"{what} nests too deeply to be read", path=path) from None


def where(container, key) -> tuple[int | None, int | None]:
    """(line, column) of a key or index in a loaded container, or (None, None)."""
    if isinstance(container, (Mapping, Sequence)):
        return container.where(key)
    return None, None


def span(container, key) -> Span | None:
    """The Span of the value at a key or index of a loaded container, or None."""
    if isinstance(container, (Mapping, Sequence)):
        return container.span(key)
    return None


def column_in(place: Span | None, value: str, lines: list[str], offset: int) -> int | None:
    """The column in the file (1-based) of character ``offset`` of the string ``value`` that
    stands at ``place``: known when the value is a plain or quoted scalar on one line written
    exactly as it reads (no escapes, no doubled quotes); otherwise None."""
    if place is None or place.line != place.end_line or not 0 < place.line <= len(lines):
        return None
    raw = lines[place.line - 1][place.column - 1:place.end_column - 1]
    if place.style is None and raw == value:
        start = place.column
    elif place.style in ("'", '"') and raw[1:-1] == value and len(raw) >= 2:
        start = place.column + 1
    else:
        return None
    return start + offset
