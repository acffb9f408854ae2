"""Contracts that cannot be read: one clear line naming the file, exit 2, every other contract
still checked and reported, in every registered output format.

Each case builds its bad input in the test's own directory; the good contract beside it is the
English example, which must still show its findings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, POLICIES
from office_files import make_docx, make_pdf
from policycheck.report.base import format_names

GOOD = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"
POLICY = POLICIES / "design-card.policy"


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.txt"
    path.write_bytes(b"")
    return path


def _blank(tmp: Path) -> Path:
    path = tmp / "blank.md"
    path.write_bytes(b" \n\t\r\n\n")
    return path


def _binary(tmp: Path) -> Path:
    path = tmp / "binary.txt"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def _truncated_utf8(tmp: Path) -> Path:
    path = tmp / "truncated.txt"
    # "争议" cut after the first byte of its second character.
    path.write_bytes("These terms are governed by the laws of England. 争议".encode("utf-8")[:-2])
    return path


def _nul_bytes(tmp: Path) -> Path:
    path = tmp / "nul.txt"
    path.write_bytes(b"These terms are governed by\x00 the laws of England.\n")
    return path


def _latin1(tmp: Path) -> Path:
    path = tmp / "latin1.txt"
    path.write_bytes("Conditions générales\nLe présent contrat est régi par le droit français.\n".encode("latin-1"))
    return path


def _cp1252(tmp: Path) -> Path:
    path = tmp / "cp1252.txt"
    path.write_bytes("The \u201cService\u201d is provided \u2013 as is \u2013 by the Provider.\n".encode("cp1252"))
    return path


def _fifty_megabytes(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    line = b"The Provider may delete Customer Data thirty (30) days after termination of this Agreement.\n"
    with open(path, "wb") as handle:
        block = line * (1024 * 1024 // len(line))
        for _ in range(50):
            handle.write(block)
        handle.write(line * 200)
    assert path.stat().st_size > 50 * 1000 * 1000
    return path


def _symlink_loop(tmp: Path) -> Path:
    folder = tmp / "looping"
    folder.mkdir()
    (folder / "terms.txt").write_text("These terms are governed by the laws of England.\n", encoding="utf-8")
    os.symlink(".", folder / "again")      # looping/again -> looping
    return folder


def _link_outside(tmp: Path) -> Path:
    folder = tmp / "contracts"
    folder.mkdir()
    (folder / "terms.txt").write_text("These terms are governed by the laws of England.\n", encoding="utf-8")
    outside = tmp.parent / "elsewhere.txt"
    outside.write_text("Private notes, not a contract.\n", encoding="utf-8")
    os.symlink(outside, folder / "notes.txt")
    return folder


def _missing(tmp: Path) -> Path:
    return tmp / "does-not-exist.txt"


def _broken_link(tmp: Path) -> Path:
    path = tmp / "gone.txt"
    os.symlink(tmp / "nowhere.txt", path)
    return path


def _fifo(tmp: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    path = tmp / "pipe.txt"
    os.mkfifo(path)
    return path


def _directory_named_like_a_contract(tmp: Path) -> Path:
    path = tmp / "folder.txt"
    path.mkdir()
    return path.parent / "folder.txt"


def _docx_without_extra(tmp: Path, monkeypatch) -> Path:
    path = make_docx(tmp / "agreement.docx", ["These terms are governed by the laws of England."])
    monkeypatch.setitem(sys.modules, "docx", None)      # import docx now raises ImportError
    return path


def _pdf_without_extra(tmp: Path, monkeypatch) -> Path:
    path = make_pdf(tmp / "agreement.pdf", [["These terms are governed by the laws of England."]])
    monkeypatch.setitem(sys.modules, "pypdf", None)
    return path


def _damaged_docx(tmp: Path) -> Path:
    path = tmp / "damaged.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path


def _damaged_pdf(tmp: Path) -> Path:
    path = tmp / "damaged.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n")
    return path


def _scanned_pdf(tmp: Path) -> Path:
    return make_pdf(tmp / "scanned.pdf", [[]])


# (case id, builder, bad path as reported relative to the case's folder, expected message)
CASES = [
    ("empty", _empty, "empty.txt", "is empty"),
    ("whitespace-only", _blank, "blank.md", "is empty"),
    ("binary", _binary, "binary.txt", "looks like a binary file (it contains NUL bytes)"),
    ("truncated-utf8", _truncated_utf8, "truncated.txt",
     "ends in the middle of a UTF-8 character (the file looks truncated)"),
    ("nul-bytes", _nul_bytes, "nul.txt", "looks like a binary file (it contains NUL bytes)"),
    ("latin-1", _latin1, "latin1.txt", "is not valid UTF-8 (invalid byte 0xe9 at line 1, offset 12)"),
    ("cp1252", _cp1252, "cp1252.txt", "is not valid UTF-8 (invalid byte 0x93 at line 1, offset 4)"),
    ("50-MB", _fifty_megabytes, "huge.txt", "is 50 MB, more than the 20 MB a contract may have"),
    ("symlink-loop", _symlink_loop, "looping/again", "is a symbolic link loop (it leads back to looping); not followed"),
    ("link-outside-tree", _link_outside, "contracts/notes.txt", "elsewhere.txt, outside contracts; not followed"),
    ("missing-path", _missing, "does-not-exist.txt", "no such file"),
    ("broken-link", _broken_link, "gone.txt", "is a broken symbolic link"),
    ("named-pipe", _fifo, "pipe.txt", "is not a regular file (a device, pipe or socket)"),
    ("directory-without-contracts", _directory_named_like_a_contract, "folder.txt",
     "is a directory without contracts (.txt, .md, .docx, .pdf files)"),
    ("docx-without-extra", _docx_without_extra, "agreement.docx",
     "is a .docx file; reading it needs the optional extra 'docx' (python-docx): pip install 'policycheck[docx]'"),
    ("pdf-without-extra", _pdf_without_extra, "agreement.pdf",
     "is a .pdf file; reading it needs the optional extra 'pdf' (pypdf): pip install 'policycheck[pdf]'"),
    ("damaged-docx", _damaged_docx, "damaged.docx", "is not a valid .docx file (not a zip archive)"),
    ("damaged-pdf", _damaged_pdf, "damaged.pdf", "is not a readable PDF file"),
    ("pdf-without-text", _scanned_pdf, "scanned.pdf", "holds no extractable text"),
]


def _build(builder, tmp: Path, monkeypatch) -> Path:
    if builder.__code__.co_argcount == 2:
        return builder(tmp, monkeypatch)
    return builder(tmp)


def _good_reported(fmt: str, output: str) -> bool:
    if fmt == "json":
        return GOOD.name in [Path(d["path"]).name for d in json.loads(output)["documents"]]
    return GOOD.name in output


@pytest.mark.parametrize("fmt", format_names())
@pytest.mark.parametrize("case, builder, shown, message", CASES, ids=[c[0] for c in CASES])
def test_bad_contract_is_one_line_exit_2_and_the_rest_is_checked(cli, tmp_path, monkeypatch, fmt,
                                                                   case, builder, shown, message):
    workdir = tmp_path / "repo"
    workdir.mkdir()
    bad = _build(builder, workdir, monkeypatch)
    monkeypatch.chdir(workdir)
    report = tmp_path / f"report.{fmt}"
    result = cli("run", POLICY, os.path.relpath(bad, workdir), GOOD, "-f", f"{fmt}:{report}")

    assert result.code == 2, result
    assert "Traceback" not in result.err
    error_lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(error_lines) == 1, result.err
    assert error_lines[0].startswith(f"policycheck: {shown}: "), result.err
    if message:
        assert message in error_lines[0]
    output = report.read_text(encoding="utf-8")
    assert _good_reported(fmt, output), output[:2000]
    if fmt == "json":
        errors = json.loads(output)["errors"]
        assert [e["path"] for e in errors] == [shown]
        assert errors[0]["message"] == error_lines[0].split(f"{shown}: ", 1)[1]
    # Every format names the contract that could not be read (a SARIF notification, a JUnit
    # error, a GitHub ::error, a line of the text and Markdown reports, ...).
    assert shown.rsplit("/", 1)[-1] in output


@pytest.mark.parametrize("case, builder, shown, message", CASES[:6], ids=[c[0] for c in CASES[:6]])
def test_bad_contract_in_facts_command(cli, tmp_path, monkeypatch, case, builder, shown, message):
    bad = _build(builder, tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = cli("facts", "--format", "json", bad.name, GOOD)
    assert result.code == 2
    assert result.err.strip() == f"policycheck: {shown}: " + json.loads(result.out)["errors"][0]["message"]
    assert message in result.err
    assert [Path(d["path"]).name for d in json.loads(result.out)["documents"]] == [GOOD.name]


def test_directory_walk_reports_bad_files_and_checks_the_rest(cli, tmp_path, monkeypatch):
    contracts = tmp_path / "contracts"
    (contracts / "eu").mkdir(parents=True)
    shutil.copy(GOOD, contracts / "eu" / "good.txt")
    (contracts / "empty.md").write_bytes(b"")
    (contracts / "notes.bin").write_bytes(b"\x00\x01")          # not a contract suffix: ignored
    os.symlink(contracts, contracts / "eu" / "back")          # a loop two levels down
    monkeypatch.chdir(tmp_path)
    result = cli("run", POLICY, "contracts", "-f", "json")
    assert result.code == 2
    data = json.loads(result.out)
    assert [d["path"] for d in data["documents"]] == ["contracts/eu/good.txt"]
    assert data["errors"] == [
        {"path": "contracts/empty.md", "message": "is empty"},
        {"path": "contracts/eu/back", "message": "is a symbolic link loop (it leads back to contracts); not followed"},
    ]


def test_file_reached_twice_is_checked_once(cli, tmp_path, monkeypatch):
    shutil.copy(GOOD, tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("run", POLICY, "a.txt", ".", "-f", "json").out)
    assert [d["path"] for d in data["documents"]] == ["a.txt"]


def test_unreadable_file(cli, tmp_path, monkeypatch):
    """chmod 000 does not stop root, so as root the check runs as the 'nobody' user instead."""
    bad = tmp_path / "locked.txt"
    bad.write_text("These terms are governed by the laws of England.\n", encoding="utf-8")
    bad.chmod(0)
    if os.geteuid() != 0:
        monkeypatch.chdir(tmp_path)
        result = cli("run", POLICY, "locked.txt", GOOD)
        assert result.code == 2
        assert result.err.strip() == "policycheck: locked.txt: cannot be read: permission denied"
        return
    _unreadable_as_nobody(bad)


def _unreadable_as_nobody(bad: Path) -> None:
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop to")
    bad.parent.chmod(0o755)
    env = {**os.environ, "NO_COLOR": "1", "HOME": str(bad.parent)}

    def drop() -> None:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    try:
        probe = subprocess.run([sys.executable, "-c", "import policycheck.cli.main, docx"], env=env,
                               preexec_fn=drop, capture_output=True, text=True, cwd=str(bad.parent))
    except OSError as exc:
        pytest.skip(f"running as root and 'nobody' cannot start this Python ({exc.strerror})")
    if probe.returncode != 0:
        pytest.skip(f"running as root and 'nobody' cannot run this checkout: {probe.stderr.strip()[-200:]}")
    result = subprocess.run([sys.executable, "-m", "policycheck", "run", str(POLICY), "locked.txt", str(GOOD)],
                            env=env, preexec_fn=drop, capture_output=True, text=True, cwd=str(bad.parent))
    assert result.returncode == 2, result
    assert result.stderr.strip() == "policycheck: locked.txt: cannot be read: permission denied"
    assert "governed by" not in result.stdout or GOOD.name in result.stdout


def test_unlistable_directory_is_reported(tmp_path):
    from policycheck.document import discover as discover_module

    (tmp_path / "sealed").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("sealed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    found = None
    try:
        discover_module.os.scandir = scandir
        found = discover_module.discover([str(tmp_path)])
    finally:
        discover_module.os.scandir = real_scandir
    assert [(Path(d.path).name, d.problem) for d in found] == [("sealed", "cannot be listed: permission denied")]


def test_permission_denied_while_opening_is_reported(cli, tmp_path, monkeypatch):
    """Runs everywhere (also as root): the open itself fails with EACCES, as it does for chmod 000."""
    from policycheck.document import load as load_module

    bad = tmp_path / "locked.txt"
    bad.write_text("These terms are governed by the laws of England.\n", encoding="utf-8")
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(load_module, "open", guarded_open, raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("run", POLICY, "locked.txt", GOOD, "-f", "json")
    assert result.code == 2
    assert result.err.strip() == "policycheck: locked.txt: cannot be read: permission denied"
    assert [Path(d["path"]).name for d in json.loads(result.out)["documents"]] == [GOOD.name]
