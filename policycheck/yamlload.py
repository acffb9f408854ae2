"""Safe YAML loading for the data files read on every run.

libyaml's safe loader is used when PyYAML was built with it: about ten times faster than the
pure-Python one, and it builds the same data (plain dicts, lists and scalars: never objects).
``load_data`` also keeps what it parsed in the on-disk store of ``policycheck.datastore``, so
a run whose YAML files are unchanged imports no YAML parser at all.
"""

from __future__ import annotations

from policycheck.datastore import derived


def __getattr__(name: str):
    # ``except yamlload.YAMLError``: PyYAML is imported only once a file actually needs parsing.
    if name == "YAMLError":
        import yaml

        return yaml.YAMLError
    raise AttributeError(name)


def safe_load(text: str):
    """Parse YAML text into plain data; raises yaml.YAMLError like ``yaml.safe_load``."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe


def load_data(text: str):
    """``safe_load(text)``, from the on-disk store when this exact text was parsed before."""
    return derived("yaml", (text.encode("utf-8", "surrogatepass"),), lambda: safe_load(text))
