"""``policycheck lsp``: a language server for ``.policy`` files and their ``*.tests.yaml``.

The server (``server.py``, pygls) only wires the protocol to plain functions: diagnostics come
from the policy loader and checker that ``policycheck validate`` runs and from the test-file
reader of ``policycheck test``; formatting from ``fmt``; completion and hover from the fact
catalogue and ``explain``. Positions inside this package are 0-based lines and 0-based
character offsets into Python strings; the server converts them to the client's units.
"""
