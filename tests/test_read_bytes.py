"""Reading a contract's bytes: the size limit holds even for a file that grows while it is read."""

from __future__ import annotations

import pytest

from policycheck.document import load
from policycheck.errors import DocumentError


def test_reads_the_whole_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes(b"x" * 5000)
    assert load.read_bytes(str(path), "c.txt") == b"x" * 5000


def test_a_file_that_grew_after_stat_is_read_whole_up_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "c.txt"
    path.write_bytes(b"0123456789" * 10)
    monkeypatch.setattr(load, "_checked_size", lambda path, shown: 5)      # stat saw 5 bytes
    assert load.read_bytes(str(path), "c.txt", limit=100) == b"0123456789" * 10
    with pytest.raises(DocumentError, match="is 100 bytes, more than"):
        load.read_bytes(str(path), "c.txt", limit=99)
