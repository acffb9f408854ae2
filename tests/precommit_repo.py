"""The real pre-commit framework on this checkout: the hooks as a repository would use them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from workflow_repo import GIT_ENV, Repo


def pre_commit(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PRE_COMMIT_COLOR="never")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


def hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """This checkout as pre-commit would clone it (work in progress included), committed once so
    every pre-commit call on it reuses one installed hook environment."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("this checkout is not a git repository; pre-commit needs one to install the hooks from")
    target = tmp_path / "policycheck-hooks"
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    hooks = Repo(target)
    hooks.git("init", "-q", "-b", "main")
    hooks.commit("hooks under test")
    return target, hooks.git("rev-parse", "HEAD").strip()


def offline(done: subprocess.CompletedProcess) -> bool:
    """pre-commit could not install a hook environment (no package index reachable)."""
    output = done.stdout + done.stderr
    return done.returncode == 3 and ("pip" in output or "network" in output.lower())


def git_commit(root: Path, message: str, home: Path, path: str | None = None) -> subprocess.CompletedProcess:
    """``git commit`` as a user types it, so the installed pre-commit hook runs (and may refuse)."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, capture_output=True,
                          text=True, timeout=900)
