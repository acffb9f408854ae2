"""``policycheck.yaml``: where a repository keeps its policies, contracts, outputs and waivers.

The file is looked for in the current directory and its parents up to the root of the git
repository (``policycheck.yaml`` first, then ``.policycheck.yaml``); ``--config`` names one
directly. Every path and glob in it is relative to the directory of the file. Validation is
strict: an unknown key, a value of the wrong type or a glob that cannot match is an error that
names the file, the line and the key, before anything is checked.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from policycheck.errors import ConfigError, PolicycheckError
from policycheck.findings.unread import UNREAD_LEVELS
from policycheck.packs import is_pack_reference, resolve_policy_path
from policycheck.textfile import read_file_bytes
from policycheck.walk import inside, link_problem
from policycheck.workflow.globs import Glob, GlobError, compile_glob
from policycheck.yamlpos import Mapping, Sequence, read_yaml, where

CONFIG_NAMES = ("policycheck.yaml", ".policycheck.yaml")
FAIL_ON_LEVELS = ("error", "warning", "info", "never")
KEYS = ("policies", "contracts", "fail_on", "formats", "overrides", "waivers", "baseline", "extractors", "unread",
        "dask")
OVERRIDE_KEYS = ("paths", "policies")


@dataclass(frozen=True)
class Override:
    """Extra policies for the contracts whose path matches one of ``paths``."""

    paths: tuple[Glob, ...]
    policies: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    """A validated policycheck.yaml: policies, contracts, extractors, defaults and overrides."""

    path: str                                  # the config file, as found or given
    root: str                                  # its directory: base of every path and glob in it
    policies: tuple[str, ...] = ()
    contracts: tuple[Glob, ...] = ()
    fail_on: str | None = None
    formats: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    waivers: str | None = None
    baseline: str | None = None
    extractors: tuple[str, ...] = ()
    unread: str | None = None                  # severity of unread-clause findings, or "off"
    dask: str | None = None                    # scheduler address: run on that Dask cluster
    keys: frozenset = field(default_factory=frozenset)   # the keys the file sets
    contract_positions: tuple[tuple[int | None, int | None], ...] = ()   # (line, column) of each glob

    def all_policy_paths(self) -> tuple[str, ...]:
        """``policies`` and the policies of every override, each once."""
        chosen = list(self.policies)
        for override in self.overrides:
            chosen.extend(path for path in override.policies if path not in chosen)
        return tuple(chosen)


def git_root_above(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds ``.git``, if any."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def find_config(start: str = ".") -> str | None:
    """The config file that applies in ``start``: searched upward to the git root (or only in
    ``start`` outside a git repository)."""
    current = os.path.abspath(start)
    stop = git_root_above(current) or current
    while True:
        # lexists: a config that is a pipe or a broken link is an error when read, never skipped.
        present = [name for name in CONFIG_NAMES if os.path.lexists(os.path.join(current, name))]
        if len(present) > 1:
            raise ConfigError(f"both {CONFIG_NAMES[0]} and {CONFIG_NAMES[1]} exist here; keep one",
                              path=_shown(os.path.join(current, present[0])))
        if present:
            return _shown(os.path.join(current, present[0]))
        if current == stop:
            return None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _shown(path: str) -> str:
    """A path as a user would write it from the current directory."""
    relative = os.path.relpath(path)
    return path if relative.count(os.pardir + os.sep) > 3 else relative


class _Validator:
    """Reads one config mapping; every error names the file, the line and the key."""

    def __init__(self, path: str, root: str) -> None:
        self.path, self.root = path, root
        # A config file comes with the repository (from a pull request, say): what it names is
        # read or written only inside the repository, never elsewhere on the machine.
        self.repository = git_root_above(os.path.abspath(root)) or os.path.abspath(root)

    def contained(self, container, key, what: str, item: str, full: str) -> str:
        """``full`` when it (links resolved) lies inside the repository, else an error at ``key``."""
        if not inside(full, self.repository):
            raise self.error(container, key, f"'{what}': {item} lies outside the repository "
                                              f"{self.repository}; paths in a config file stay inside it",
                             "name a path outside the repository on the command line instead")
        return full

    def error(self, container, key, message: str, hint: str | None = None) -> ConfigError:
        line, column = where(container, key)
        return ConfigError(message, path=self.path, line=line, column=column, hint=hint)

    def mapping(self, value, container, key, allowed: tuple[str, ...], what: str) -> Mapping:
        if not isinstance(value, dict):
            raise self.error(container, key, f"{what} must be a mapping of keys to values")
        for name in value:
            if name not in allowed:
                close = difflib.get_close_matches(str(name), allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
                raise self.error(value, name, f"unknown key '{name}' in {what}", hint)
        return value

    def string_list(self, container, key, what: str) -> list[str]:
        value = container[key]
        if isinstance(value, str):
            value = Sequence([value])
            value.line, value.column = where(container, key)
        if not isinstance(value, list) or not value:
            raise self.error(container, key, f"'{what}' must be a non-empty list of strings")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(value, index, f"'{what}' item {index + 1} must be a non-empty string, "
                                               f"not {_type_name(item)}")
        return list(value)

    def string(self, container, key, what: str) -> str:
        value = container[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(container, key, f"'{what}' must be a non-empty string, not {_type_name(value)}")
        return value

    def existing_paths(self, container, key, what: str) -> tuple[str, ...]:
        items = self.string_list(container, key, what)
        paths = []
        for index, item in enumerate(items):
            if is_pack_reference(item):
                try:
                    paths.append(resolve_policy_path(item))
                except PolicycheckError as exc:
                    raise self.error(container[key] if isinstance(container[key], list) else container,
                                     index if isinstance(container[key], list) else key,
                                     f"'{what}': {exc.message}", exc.hint) from None
                continue
            full = self.join(item)
            if not os.path.exists(full):
                raise self.error(container[key] if isinstance(container[key], list) else container,
                                 index if isinstance(container[key], list) else key,
                                 f"'{what}': {item} does not exist (looked for {full})")
            paths.append(self.contained(container[key] if isinstance(container[key], list) else container,
                                        index if isinstance(container[key], list) else key, what, item, full))
        return tuple(paths)

    def globs(self, container, key, what: str) -> tuple[Glob, ...]:
        items = self.string_list(container, key, what)
        compiled = []
        for index, item in enumerate(items):
            try:
                compiled.append(compile_glob(item))
            except GlobError as exc:
                raise self.error(container[key] if isinstance(container[key], list) else container,
                                 index if isinstance(container[key], list) else key,
                                 f"bad glob in '{what}': {exc}") from None
        return tuple(compiled)

    def join(self, relative: str) -> str:
        if os.path.isabs(relative):
            return os.path.normpath(relative)
        return os.path.normpath(os.path.join(self.root, relative))


def _type_name(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _check_format(validator: _Validator, container, index: int, spec: str) -> str:
    from policycheck.report.base import format_names

    name, sep, target = spec.partition(":")
    names = format_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        raise validator.error(container, index, f"unknown format '{name}' in 'formats'",
                              f"did you mean '{close[0]}'?" if close else f"formats: {', '.join(names)}")
    if sep and not target:
        raise validator.error(container, index, f"format '{spec}' names no output path after ':'")
    if not target or target == "-":
        return spec
    return f"{name}:{validator.contained(container, index, 'formats', target, validator.join(target))}"


def load_config(path: str) -> Config:
    """Read and validate one config file."""
    data = read_yaml(path, "config file")
    root = os.path.dirname(path) or "."
    if data is None:
        return Config(path=path, root=root)
    validator = _Validator(path, root)
    if not isinstance(data, dict):
        raise ConfigError(f"a config file must be a mapping of keys ({', '.join(KEYS)}), "
                          f"not {_type_name(data)}", path=path, line=getattr(data, "line", None) or 1)
    validator.mapping(data, None, None, KEYS, "the config")
    values: dict = {"keys": frozenset(data)}
    for key in data:
        if data[key] is None:
            raise validator.error(data, key, f"'{key}' has no value")
    if "policies" in data:
        values["policies"] = validator.existing_paths(data, "policies", "policies")
    if "contracts" in data:
        values["contracts"] = validator.globs(data, "contracts", "contracts")
        globs = data["contracts"]
        values["contract_positions"] = tuple(where(globs, index) for index in range(len(globs))) \
            if isinstance(globs, list) else (where(data, "contracts"),)
    if "fail_on" in data:
        level = data["fail_on"]
        if level not in FAIL_ON_LEVELS:
            raise validator.error(data, "fail_on", f"'fail_on' must be one of {', '.join(FAIL_ON_LEVELS)}, "
                                                   f"not {level!r}")
        values["fail_on"] = level
    if "unread" in data:
        level = data["unread"]
        if level is False:
            level = "off"        # YAML reads a bare off as false
        if not isinstance(level, str) or level not in UNREAD_LEVELS:
            raise validator.error(data, "unread", f"'unread' must be one of {', '.join(UNREAD_LEVELS)}, "
                                                  f"not {level!r}")
        values["unread"] = level
    if "formats" in data:
        specs = validator.string_list(data, "formats", "formats")
        container = data["formats"] if isinstance(data["formats"], list) else data
        values["formats"] = tuple(_check_format(validator, container, i if container is not data else "formats",
                                                spec) for i, spec in enumerate(specs))
    if "overrides" in data:
        values["overrides"] = _overrides(validator, data)
    if "waivers" in data:
        given = validator.string(data, "waivers", "waivers")
        values["waivers"] = validator.contained(data, "waivers", "waivers", given, validator.join(given))
    if "baseline" in data:
        given = validator.string(data, "baseline", "baseline")
        values["baseline"] = validator.contained(data, "baseline", "baseline", given, validator.join(given))
    if "extractors" in data:
        # absolute: the compiled rule book is cached per process by these paths
        values["extractors"] = tuple(os.path.abspath(p) for p in validator.existing_paths(data, "extractors",
                                                                                          "extractors"))
        for extractor_path in values["extractors"]:
            check_extractor_files(extractor_path)
    if "dask" in data:
        values["dask"] = validator.string(data, "dask", "dask").strip()
    return Config(path=path, root=root, **values)


MAX_EXTRACTOR_BYTES = 4 * 1024 * 1024
EXTRACTOR_SUFFIXES = (".yaml", ".yml")


def check_extractor_files(path: str) -> None:
    """Refuse, before the extractor reads them, the files of ``extractors:`` that are no regular
    files (a FIFO would block the run, /dev/zero fill memory), too large, or links out of their
    directory; the files are read the same way ``policycheck.facts.rules`` walks them."""
    if os.path.isdir(path):
        candidates = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            candidates.extend(os.path.join(dirpath, name) for name in sorted(filenames)
                              if name.endswith(EXTRACTOR_SUFFIXES))
    else:
        candidates = [path]
    for candidate in candidates:
        problem = link_problem(candidate, path) if candidate != path else None
        if problem:
            raise ConfigError(problem, path=candidate)
        # Read once, through the one safe reader, to refuse what cannot be read safely.
        read_file_bytes(candidate, kind="extractor", max_bytes=MAX_EXTRACTOR_BYTES, error=ConfigError)


def _overrides(validator: _Validator, data) -> tuple[Override, ...]:
    entries = data["overrides"]
    if not isinstance(entries, list) or not entries:
        raise validator.error(data, "overrides", "'overrides' must be a list of {paths: [...], policies: [...]}")
    overrides = []
    for index, entry in enumerate(entries):
        what = f"overrides item {index + 1}"
        if not isinstance(entry, dict):
            raise validator.error(entries, index, f"{what} must be a mapping with 'paths' and 'policies'")
        validator.mapping(entry, entries, index, OVERRIDE_KEYS, what)
        for key in OVERRIDE_KEYS:
            if key not in entry:
                raise validator.error(entries, index, f"{what} has no '{key}'")
            if entry[key] is None:
                raise validator.error(entry, key, f"'{key}' of {what} has no value")
        overrides.append(Override(validator.globs(entry, "paths", f"{what}: paths"),
                                  validator.existing_paths(entry, "policies", f"{what}: policies")))
    return tuple(overrides)


def resolve_config(explicit: str | None, start: str = ".") -> Config | None:
    """The config in effect: ``--config`` when given (it must exist), else the one found."""
    if explicit:
        if not os.path.exists(explicit):
            raise ConfigError("config file not found", path=explicit)
        return load_config(explicit)
    found = find_config(start)
    return load_config(found) if found else None
