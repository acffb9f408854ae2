"""JSON text as policycheck writes it: the structure over lines, each record on one line.

A report holds thousands of findings and facts. ``json.dumps(indent=2)`` gives every value a
line of its own, which runs the pure-Python encoder (the C encoder cannot indent) and writes a
file five times the size of the contracts. Here objects are laid out one key per line, and a
list of objects or lists (findings, facts, errors) puts each item on one compact line
that the C encoder writes: ``grep`` and ``diff`` show one finding or fact per line, and any JSON
reader reads the same data as before.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring
from typing import Callable

# default=str: waiver dates read from YAML are written as ISO dates.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), default=str)


def _compact_encoder() -> Callable[[object], str]:
    """``_ENCODER.encode``. ``JSONEncoder.encode`` builds the C encoder anew for every value, which
    cost a sixth of writing a report (thousands of records); here it is built once, with the
    arguments ``encode`` gives it but no check for circular references (a report has none).
    Without the C encoder, ``encode`` itself."""
    if c_make_encoder is None:
        return _ENCODER.encode
    try:
        chunks = c_make_encoder(None, _ENCODER.default, encode_basestring, None, _ENCODER.key_separator,
                                _ENCODER.item_separator, False, False, True)
    except TypeError:       # an interpreter whose C encoder takes other arguments
        return _ENCODER.encode
    return lambda value: "".join(chunks(value, 0))


compact = _compact_encoder()


def dumps(data, expand: tuple[str, ...] = (), indent: str = "") -> str:
    """``data`` as JSON text. Objects are laid out one key per line; the items of a list under
    a key in ``expand`` are laid out the same way; any other list that holds objects or lists
    puts each item on one line; everything else is written compactly on its line.

    ``indent`` is the indentation of the line the text starts on, so the text can be written
    inside an enclosing object at that depth.
    """
    out: list[str] = []
    _layout(data, indent, expand, out)
    return "".join(out)


def _layout(value, indent: str, expand: tuple[str, ...], out: list[str]) -> None:
    if isinstance(value, dict) and value:
        inner = indent + "  "
        separator = "{\n"
        for key, item in value.items():
            out.append(separator + inner + compact(key) + ": ")
            if key in expand and isinstance(item, list) and item:
                _expanded_list(item, inner, expand, out)
            else:
                _layout(item, inner, expand, out)
            separator = ",\n"
        out.append("\n" + indent + "}")
    elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        inner = indent + "  "
        out.append("[\n" + inner + (",\n" + inner).join(map(compact, value)) + "\n" + indent + "]")
    else:
        out.append(compact(value))


def _expanded_list(items: list, indent: str, expand: tuple[str, ...], out: list[str]) -> None:
    inner = indent + "  "
    separator = "[\n"
    for item in items:
        out.append(separator + inner)
        _layout(item, inner, expand, out)
        separator = ",\n"
    out.append("\n" + indent + "]")
