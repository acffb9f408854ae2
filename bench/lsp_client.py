"""A real LSP client (pygls's) driving ``policycheck lsp`` over stdio, with a blocking API.

The client runs on an event loop in a thread of its own, so bench/lsp_latency.py and the tests
call it like plain functions: open a document, wait for its diagnostics, ask for completions.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

TIMEOUT = 60.0


class _Client(LanguageClient):
    """pygls's client, remembering how the server process ended."""

    returncode: int | None = None
    exited: threading.Event

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.returncode = server.returncode
        self.exited.set()


def uri(path: str | os.PathLike) -> str:
    """The file URI of ``path`` as given (symbolic links are not followed, as in an editor)."""
    return from_fs_path(str(Path(path).absolute()))


class LspSession:
    """One server process and one client talking to it."""

    def __init__(self, root: str | os.PathLike | None, env: dict[str, str] | None = None) -> None:
        self.root = Path(root).absolute() if root else None
        self.env = env
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.client = _Client("policycheck-tests", "1")
        self.client.exited = threading.Event()
        self.published: list[tuple[float, types.PublishDiagnosticsParams]] = []
        self.changed = threading.Condition()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published.append((time.perf_counter(), params))
                self.changed.notify_all()

    # --- plumbing ----------------------------------------------------------------------------
    def _run(self, coroutine, timeout: float = TIMEOUT):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def _notify(self, method, params) -> None:
        async def send():
            method(params)
        self._run(send())

    def start(self) -> types.InitializeResult:
        self.thread.start()
        env = dict(os.environ, **(self.env or {}))
        self._run(self.client.start_io(sys.executable, "-m", "policycheck", "lsp", env=env,
                                       cwd=str(self.root) if self.root else None))
        folders = [types.WorkspaceFolder(uri=uri(self.root), name=self.root.name)] if self.root else None
        result = self._run(self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), process_id=os.getpid(),
            root_uri=uri(self.root) if self.root else None, workspace_folders=folders)))
        self._notify(self.client.initialized, types.InitializedParams())
        self.initialize_result = result
        return result

    def stop(self) -> int | None:
        """shutdown, then exit; returns the server's exit code."""
        try:
            self._run(self.client.shutdown_async(None), timeout=20)
            self._notify(self.client.exit, None)
            self.client.exited.wait(20)
            self._run(self.client.stop(), timeout=20)
            return self.client.returncode
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)

    # --- documents ---------------------------------------------------------------------------
    def open(self, path: str | os.PathLike, text: str | None = None, language: str = "policycheck") -> int:
        """Open a document (its text from disk unless given); returns the mark to wait from."""
        mark = len(self.published)
        text = Path(path).read_text(encoding="utf-8") if text is None else text
        self.versions[uri(path)] = 1
        self._notify(self.client.text_document_did_open, types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(path), language_id=language, version=1, text=text)))
        return mark

    def change(self, path: str | os.PathLike, text: str | None = None,
               edits: list[tuple[int, int, int, int, str]] = ()) -> int:
        """Replace the whole text, or apply (line, char, end line, end char, new text) edits in
        order, as one change of the document; returns the mark to wait from."""
        mark = len(self.published)
        key = uri(path)
        self.versions[key] += 1
        if text is not None:
            changes = [types.TextDocumentContentChangeWholeDocument(text=text)]
        else:
            changes = [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, character), types.Position(end_line, end_character)),
                text=new_text) for line, character, end_line, end_character, new_text in edits]
        self._notify(self.client.text_document_did_change, types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=key, version=self.versions[key]),
            content_changes=changes))
        return mark

    def close(self, path: str | os.PathLike) -> int:
        mark = len(self.published)
        self._notify(self.client.text_document_did_close, types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path))))
        return mark

    def diagnostics(self, path: str | os.PathLike, since: int, version: int | None = None,
                    timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """The first diagnostics published for ``path`` after mark ``since`` (and for ``version``)."""
        return self.diagnostics_at(path, since, version, timeout)[1]

    def diagnostics_at(self, path, since: int, version: int | None = None, timeout: float = TIMEOUT
                       ) -> tuple[float, list[types.Diagnostic]]:
        key = uri(path)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for stamp, params in self.published[since:]:
                    if params.uri == key and (version is None or params.version == version):
                        return stamp, list(params.diagnostics)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no diagnostics for {path} (version {version})")
                self.changed.wait(left)

    # --- requests ----------------------------------------------------------------------------
    def completion(self, path, line: int, character: int) -> list[types.CompletionItem]:
        result = self._run(self.client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=types.Position(line, character))))
        if result is None:
            return []
        return list(result.items if isinstance(result, types.CompletionList) else result)

    def hover(self, path, line: int, character: int) -> types.Hover | None:
        return self._run(self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=types.Position(line, character))))

    def definition(self, path, line: int, character: int):
        return self._run(self.client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=types.Position(line, character))))

    def symbols(self, path):
        return self._run(self.client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)))))

    def formatting(self, path) -> list[types.TextEdit] | None:
        return self._run(self.client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True))))

    def code_actions(self, path, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
        where = diagnostics[0].range
        return self._run(self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), range=where,
            context=types.CodeActionContext(diagnostics=diagnostics)))) or []
