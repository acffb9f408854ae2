"""The language server: pygls wiring from LSP requests to the functions of this package."""

from __future__ import annotations

import logging
import os
import sys

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from policycheck import __version__
from policycheck.errors import PolicycheckError, debugging, internal_error_message
from policycheck.lsp.completion import complete
from policycheck.lsp.diagnostics import other_place, to_diagnostic
from policycheck.lsp.navigation import definition, explain_rule_text, hover_text, symbols
from policycheck.lsp.project import Project, is_policy, is_tests, lf_lines, real
from policycheck.lsp.tests_yaml import complete_tests, rule_reference
from policycheck.policy.layout import format_policy_text


class PolicyServer(LanguageServer):
    """A LanguageServer holding the project state and what it last published."""

    def __init__(self) -> None:
        super().__init__("policycheck", __version__)
        self.project = Project()
        self.published: dict[str, list[types.Diagnostic]] = {}     # uri -> last diagnostics sent
        self._explained: dict[tuple, str] = {}

    # --- helpers -----------------------------------------------------------------------------
    def sync_roots(self) -> None:
        folders = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        root = self.workspace.root_path
        self.project.roots = [f for f in folders + ([root] if root else []) if f]
        self.project.touch()

    def lines_of(self, path: str) -> list[str]:
        return (self.project.text_of(path) or "").split("\n")

    def to_client(self, lines: list[str], where: types.Range) -> types.Range:
        return self.workspace.position_codec.range_to_client_units(lines, where)

    def publish(self, path: str, errors: list[PolicycheckError], version: int | None, always: bool) -> None:
        uri = from_fs_path(os.path.abspath(path))
        lines = self.lines_of(path)
        diagnostics = []
        for error in errors:
            diagnostic = to_diagnostic(error, lines)
            diagnostic.range = self.to_client(lines, diagnostic.range)
            first = other_place(error)
            if first is not None:
                other_path, other_line = first
                where = types.Range(types.Position(other_line, 0), types.Position(other_line, 0))
                diagnostic.related_information = [types.DiagnosticRelatedInformation(
                    location=types.Location(uri=from_fs_path(os.path.abspath(other_path)), range=where),
                    message="first defined here")]
            diagnostics.append(diagnostic)
        if not always and self.published.get(uri, []) == diagnostics:
            return
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def explain(self, rule, catalogue, source: str) -> str:
        """``explain RULE`` text. The examples come from running the rule's tests (on the files
        as saved, as ``explain`` runs them), so the text is kept while the rule, the comment
        above it and the saved policy and tests files stay the same: typing elsewhere in the
        file does not run the tests again."""
        from policycheck.policy.explain import rule_explanation
        from policycheck.policytest.examples import add_rationale_and_examples, rationale, tests_file_for

        tests = tests_file_for(rule)
        key = (rule.id, rule.path, repr(rule_explanation(rule, catalogue)), tuple(rationale(rule, source)),
               _stamp(rule.path), _stamp(tests))
        if key not in self._explained:
            if len(self._explained) > 64:       # an entry per text hovered: keep the recent ones
                self._explained.clear()
            from policycheck.facts.engine import extractor

            try:
                config = self.project.config_for(rule.path)
            except PolicycheckError:
                config = None
            engine = extractor(tuple(config.extractors) if config else ())

            def examples(explanation, rule, source):
                try:
                    add_rationale_and_examples(explanation, rule, source, engine)
                except PolicycheckError:
                    pass           # a broken tests file: the explanation without its examples
            self._explained[key] = explain_rule_text(rule, catalogue, source, examples)
        return self._explained[key]

    # --- diagnostics -------------------------------------------------------------------------
    def check_document(self, path: str) -> None:
        version = self._version(path)
        if is_policy(path):
            checked = self.project.check(path)
            here = real(path)
            for key, name in checked.files.items():
                self.publish(name, checked.errors.get(key, []), version if key == here else None,
                             always=key == here)
            # The open test files may name rules this change added, renamed or removed.
            for other in self.project.open_paths():
                if is_tests(other):
                    self.check_tests(other)
        elif is_tests(path):
            self.check_tests(path, always=True)

    def check_tests(self, path: str, always: bool = False) -> None:
        errors, _test_file, _policy_set = self.project.check_tests(path)
        self.publish(path, errors, self._version(path), always)

    def _version(self, path: str) -> int | None:
        document = self.workspace.text_documents.get(from_fs_path(path))
        return document.version if document else None


def _stamp(path: str | None) -> tuple[int, int] | None:
    """When a file was last written, and its size; None when there is none."""
    try:
        status = os.stat(path) if path else None
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size) if status else None


server = PolicyServer()


def _path(uri: str) -> str:
    return to_fs_path(uri) or uri


@server.feature(types.INITIALIZED)
def initialized(ls: PolicyServer, params: types.InitializedParams) -> None:
    ls.sync_roots()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def folders_changed(ls: PolicyServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.sync_roots()


def _take_text(ls: PolicyServer, uri: str) -> None:
    ls.project.set_text(_path(uri), ls.workspace.get_text_document(uri).source)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PolicyServer, params: types.DidOpenTextDocumentParams) -> None:
    _take_text(ls, params.text_document.uri)
    ls.check_document(_path(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PolicyServer, params: types.DidChangeTextDocumentParams) -> None:
    _take_text(ls, params.text_document.uri)
    ls.check_document(_path(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PolicyServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.project.touch()               # what is on disk counts for files that are not open
    ls.check_document(_path(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PolicyServer, params: types.DidCloseTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    ls.project.close(path)
    if is_policy(path) and os.path.isfile(path):
        ls.check_document(path)          # what is on disk now counts for the other files
    else:
        ls.publish(path, [], None, always=True)


# --- requests ------------------------------------------------------------------------------

def _server_position(ls: PolicyServer, uri: str, position: types.Position
                     ) -> tuple[str, str, int, int] | None:
    """(path, text, line, character) of a request's position; None for a document the editor has
    not opened (the protocol asks only about open ones)."""
    document = ls.workspace.text_documents.get(uri)
    if document is None:
        return None
    where = document.position_from_client_units(position)
    return _path(uri), lf_lines(document.source), where.line, where.character


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[" ", "[", ",", "(", "{", '"']))
def completion(ls: PolicyServer, params: types.CompletionParams) -> types.CompletionList | None:
    asked = _server_position(ls, params.text_document.uri, params.position)
    if asked is None:
        return None
    path, text, line, character = asked
    if is_tests(path):
        policy_set, catalogue = ls.project.tested_policy_set(path)
        return types.CompletionList(is_incomplete=False,
                                    items=complete_tests(text, line, character, policy_set, catalogue))
    if not is_policy(path):
        return None
    checked = ls.project.check(path)
    items = complete(text, line, character, checked.catalogue, sorted(checked.policy_set.sets), path)
    lines = text.split("\n")
    for item in items:
        if isinstance(item.text_edit, types.TextEdit):
            item.text_edit.range = ls.to_client(lines, item.text_edit.range)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PolicyServer, params: types.HoverParams) -> types.Hover | None:
    asked = _server_position(ls, params.text_document.uri, params.position)
    if asked is None:
        return None
    path, text, line, character = asked
    if is_tests(path):
        found = rule_reference(ls.project, path, text, line, character)
        if found is None:
            return None
        rule, token, catalogue, source = found
        shown = ls.explain(rule, catalogue, source)
    elif is_policy(path):
        checked = ls.project.check(path)
        source = {real(f.path): f.source for f in checked.policy_set.files}
        answer = hover_text(text, line, character, path, checked.policy_set, checked.catalogue,
                            lambda rule: ls.explain(rule, checked.catalogue, source.get(real(rule.path), "")))
        if answer is None:
            return None
        shown, token = answer
    else:
        return None
    lines = text.split("\n")
    where = ls.to_client(lines, types.Range(types.Position(token.line, token.start),
                                            types.Position(token.line, token.end)))
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=f"```text\n{shown}```"),
                       range=where)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def goto_definition(ls: PolicyServer, params: types.DefinitionParams) -> types.Location | None:
    asked = _server_position(ls, params.text_document.uri, params.position)
    if asked is None:
        return None
    path, text, line, character = asked
    if is_tests(path):
        found = rule_reference(ls.project, path, text, line, character)
        if found is None:
            return None
        rule = found[0]
        return _location(ls, rule.path, rule.line - 1, 0, None)
    if not is_policy(path):
        return None
    checked = ls.project.check(path)
    place = definition(text, line, character, path, checked.file(path), checked.policy_set)
    if place is None:
        return None
    return _location(ls, place.path, place.line, place.start, place.end)


def _location(ls: PolicyServer, path: str, line: int, start: int, end: int | None) -> types.Location:
    """A place in a file (``end`` None: the end of its line), in the client's units."""
    lines = ls.lines_of(path)
    if end is None:
        end = len(lines[line]) if line < len(lines) else 0
    target = types.Range(types.Position(line, start), types.Position(line, end))
    return types.Location(uri=from_fs_path(os.path.abspath(path)), range=ls.to_client(lines, target))


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: PolicyServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    path = _path(params.text_document.uri)
    if not is_policy(path) or params.text_document.uri not in ls.workspace.text_documents:
        return []
    checked = ls.project.check(path)
    policy_file = checked.file(path)
    if policy_file is None:
        return []
    lines = policy_file.source.split("\n")
    found = []
    for symbol in symbols(policy_file, checked.policy_set):
        whole = types.Range(types.Position(*symbol.start), types.Position(*symbol.end))
        line, start, end = symbol.selection
        name = types.Range(types.Position(line, start), types.Position(line, end))
        kind = types.SymbolKind.Function if symbol.kind == "rule" else types.SymbolKind.Constant
        found.append(types.DocumentSymbol(name=symbol.name, detail=symbol.detail, kind=kind,
                                          range=ls.to_client(lines, whole),
                                          selection_range=ls.to_client(lines, name)))
    return found


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PolicyServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    path = _path(params.text_document.uri)
    document = ls.workspace.text_documents.get(params.text_document.uri)
    if document is None:
        return None
    text = lf_lines(document.source)
    try:
        formatted = format_policy_text(text, path)
    except PolicycheckError:
        return None              # does not parse: the diagnostics already say where
    if formatted == text:
        return []
    lines = text.split("\n")
    whole = types.Range(types.Position(0, 0), types.Position(len(lines) - 1, len(lines[-1])))
    return [types.TextEdit(range=ls.to_client(lines, whole), new_text=formatted)]


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_actions(ls: PolicyServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    actions = []
    for diagnostic in params.context.diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else None
        if diagnostic.source != "policycheck" or not data or "replacement" not in data:
            continue
        word = data["replacement"]
        edit = types.WorkspaceEdit(changes={params.text_document.uri: [
            types.TextEdit(range=diagnostic.range, new_text=word)]})
        actions.append(types.CodeAction(title=f"Change to {word}", kind=types.CodeActionKind.QuickFix,
                                        diagnostics=[diagnostic], edit=edit, is_preferred=True))
    return actions


class _OneLine(logging.Formatter):
    """Log lines for the editor's output panel: one line each, a traceback only with --debug."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not debugging():
            detail = internal_error_message(record.exc_info[1]) if record.exc_info[1] else ""
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None,
                                            "msg": f"{record.getMessage()} ({detail})", "args": ()})
        return super().format(record)


def serve() -> None:
    """Speak LSP on standard input and output until the client says exit."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine("policycheck lsp: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if debugging() else logging.WARNING, handlers=[handler])
    server.start_io()
