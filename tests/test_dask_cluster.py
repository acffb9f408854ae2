"""``policycheck run --dask``: the same reports as a local run, from a real Dask cluster.

One ``distributed.LocalCluster`` (worker processes, 2 workers, loopback only, no dashboard)
serves the whole module; tests that break a cluster start their own small one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ESCROW_RULES, EXAMPLES, POLICIES

distributed = pytest.importorskip("distributed")
pytest.importorskip("fsspec")

from policycheck.cluster import client as cluster_client  # noqa: E402
from policycheck.cluster.inputs import Contract, list_contracts  # noqa: E402
from policycheck.cluster.worker import Header, check_batch, identity  # noqa: E402

CONTRACTS = EXAMPLES / "contracts"

# Without a dashboard the scheduler still serves its health check, on the loopback address; it
# says so when another cluster on the machine holds the default port.
pytestmark = pytest.mark.filterwarnings("ignore:Port 8787 is already in use")

# Original text for the generated corpus (no real company): an English and a Chinese clause set.
ENGLISH_TERMS = """Hosting Terms

1. Law. These terms are governed by the laws of the State of New York.
2. Disputes. Any dispute shall be finally settled by arbitration in Singapore.
3. Data. The provider may delete customer data forty-five (45) days after termination.
4. Liability. The provider's total liability shall not exceed the fees paid in the prior twelve months.
"""
CHINESE_TERMS = """服务条款

一、本协议适用中华人民共和国法律。
二、因本协议引起的争议,提交上海国际仲裁中心仲裁。
三、协议终止满三十日后,服务方有权删除用户数据。
"""


def _local_cluster(workers: int = 2):
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address=None, silence_logs=50)


@pytest.fixture(scope="module")
def cluster():
    with _local_cluster() as started:
        yield started


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Contracts in nested folders, with every kind of input a local run reports as an error."""
    root = tmp_path_factory.mktemp("corpus")
    sources = sorted(p for p in CONTRACTS.rglob("*") if p.suffix in (".txt", ".md"))
    texts = [p.read_bytes() for p in sources] + [ENGLISH_TERMS.encode(), CHINESE_TERMS.encode()]
    for index in range(48):
        folder = root / f"part-{index % 3}" / ("deep" if index % 4 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        body = texts[index % len(texts)] + f"\nReference {index:04d}.\n".encode()
        (folder / f"{index:03d}-contract.txt").write_bytes(body)
    (root / "a-top-level.md").write_bytes(texts[0])
    (root / "empty.txt").write_bytes(b"   \n")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "gb18030.txt").write_bytes(CHINESE_TERMS.encode("gb18030"))
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skipped.txt").write_bytes(texts[0])
    try:
        from office_files import make_docx

        make_docx(root / "part-1" / "office.docx", ENGLISH_TERMS.splitlines())
    except ImportError:
        pass
    return root


def _run_both(cli, cluster, tmp_path, *args, formats=("json", "sarif")):
    """The reports of a local run and of a cluster run with the same arguments."""
    outputs = {}
    for mode in ("local", "dask"):
        specs = []
        for name in formats:
            specs += ["-f", f"{name}:{tmp_path / mode}.{name}"]
        extra = ["--dask", cluster.scheduler_address] if mode == "dask" else ["-j", "1"]
        result = cli("run", *args, *specs, "-q", "--no-cache", *extra)
        outputs[mode] = (result.code, result.err, {name: (tmp_path / f"{mode}.{name}").read_bytes() for name in formats})
    return outputs["local"], outputs["dask"]


def test_examples_give_byte_identical_json_sarif_and_text(cli, cluster, tmp_path):
    local, remote = _run_both(cli, cluster, tmp_path, POLICIES, CONTRACTS, formats=("json", "sarif", "text"))
    assert remote == local
    assert json.loads(local[2]["json"])["summary"]["documents"] == len(list(CONTRACTS.rglob("*.txt")))


def test_generated_corpus_with_bad_inputs_gives_byte_identical_reports(cli, cluster, tmp_path, corpus):
    local, remote = _run_both(cli, cluster, tmp_path, POLICIES, corpus)
    assert remote == local
    report = json.loads(local[2]["json"])
    messages = {Path(error["path"]).name: error["message"] for error in report["errors"]}
    assert messages["empty.txt"] == "is empty" and "binary" in messages["binary.txt"]
    assert "gb18030.txt" not in messages            # decoded like a local run decodes it
    assert not any("skipped" in d["path"] for d in report["documents"])
    assert local[0] == 2                            # unreadable contracts: exit 2, like locally


def test_stdout_text_report_streams_the_same(cli, cluster, corpus):
    local = cli("run", POLICIES, corpus, "--no-cache", "-j", "1")
    remote = cli("run", POLICIES, corpus, "--no-cache", "--dask", cluster.scheduler_address)
    assert (remote.code, remote.out, remote.err) == (local.code, local.out, local.err)


def test_policycheckignore_and_config_address(cli, cluster, tmp_path, corpus):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".policycheckignore").write_text("part-1/\n*.md\n")
    (project / "policycheck.yaml").write_text(f"dask: {cluster.scheduler_address}\n")
    os.symlink(corpus, project / "contracts")
    (project / "local.yaml").write_text("fail_on: error\n")
    local = cli("run", POLICIES, "contracts", "-f", "json", "--no-cache", "-j", "1", "--config", "local.yaml",
                cwd=project)
    remote = cli("run", POLICIES, "contracts", "-f", "json", "--no-cache", cwd=project)
    assert (remote.code, remote.out) == (local.code, local.out)
    paths = [d["path"] for d in json.loads(remote.out)["documents"]]
    assert paths and not any("part-1" in p or p.endswith(".md") for p in paths)


def _put_on_workers(client, files: dict[str, bytes]) -> None:
    def write(files=files):
        import fsspec

        memory = fsspec.filesystem("memory")
        for path, data in files.items():
            with memory.open(path, "wb") as handle:
                handle.write(data)

    # Each worker process has its own memory file system: write the files on every one.
    client.run(write)


def _documents_named(report: dict, old: str, new: str) -> dict:
    text = json.dumps(report, ensure_ascii=False)
    return json.loads(text.replace(old, new))


def test_memory_urls_are_listed_and_read_by_the_workers(cli, cluster, tmp_path, corpus):
    files = {}
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            files["/archive/" + path.relative_to(corpus).as_posix()] = path.read_bytes()
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        _put_on_workers(client, files)
    remote = cli("run", POLICIES, "memory://archive/", "-f", "json", "--no-cache", "--dask", cluster.scheduler_address)
    local = cli("run", POLICIES, corpus, "-f", "json", "--no-cache", "-j", "1")
    assert remote.code == local.code
    assert json.loads(remote.out) == _documents_named(json.loads(local.out), str(corpus), "memory://archive")
    missing = cli("run", POLICIES, "memory://nowhere/x.txt", "-f", "json", "--no-cache", "--dask",
                  cluster.scheduler_address)
    assert missing.code == 2 and "memory://nowhere/x.txt: no such file" in missing.err


def test_file_urls_give_the_local_reports(cli, cluster, corpus):
    url = f"file://{corpus}/"
    remote = cli("run", POLICIES, url, "-f", "json", "--no-cache", "--dask", cluster.scheduler_address)
    local = cli("run", POLICIES, corpus, "-f", "json", "--no-cache", "-j", "1")
    assert remote.code == local.code
    assert json.loads(remote.out) == _documents_named(json.loads(local.out), str(corpus), f"file://{corpus}")


def test_url_listing_walks_like_a_local_folder(tmp_path):
    import fsspec

    memory = fsspec.filesystem("memory")
    for name in ("b.txt", "a/z.txt", "a.txt", "a/.git/x.txt", "c/notes.csv", "c/d/e.md", "drafts/f.txt", "other/notes.csv"):
        memory.pipe(f"/walk/{name}", b"x")
    ignore = (str(tmp_path / ".policycheckignore"), "drafts/\n")
    listed = [c.shown for c in map(Contract._make, list_contracts("memory://walk", ignore))]
    assert listed == ["memory://walk/a.txt", "memory://walk/b.txt", "memory://walk/a/z.txt", "memory://walk/c/d/e.md"]
    empty = list_contracts("memory://walk/other/")
    assert [c.problem for c in map(Contract._make, empty)] == ["is a directory without contracts "
                                                               "(.txt, .md, .docx, .pdf files)"]


def test_a_worker_killed_mid_run_loses_nothing(cli, cluster, tmp_path, corpus):
    big = tmp_path / "big"
    for copy in range(3):
        (big / str(copy)).mkdir(parents=True)
        for path in sorted(corpus.rglob("*.txt")):
            if "hidden" not in str(path):
                (big / str(copy) / path.name).write_bytes(path.read_bytes() + f"\nCopy {copy}.\n".encode())
    local = cli("run", POLICIES, big, "-f", f"json:{tmp_path / 'local.json'}", "-f", f"sarif:{tmp_path / 'local.sarif'}",
                "-q", "--no-cache", "-j", "1")
    killed = []

    def kill_a_busy_worker():
        with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed:
                busy = {worker: keys for worker, keys in watcher.processing().items()
                        if any("policycheck-batch" in str(key) for key in keys)}
                done = watcher.run_on_scheduler(_finished_batches)
                if busy and done >= 2:
                    worker = sorted(busy)[0]
                    for nanny in cluster.workers.values():
                        if nanny.worker_address == worker:
                            os.kill(nanny.process.process.pid, signal.SIGKILL)
                            killed.append(worker)
                time.sleep(0.05)

    thread = threading.Thread(target=kill_a_busy_worker)
    thread.start()
    remote = cli("run", POLICIES, big, "-f", f"json:{tmp_path / 'dask.json'}", "-f", f"sarif:{tmp_path / 'dask.sarif'}",
                 "-q", "--no-cache", "--dask", cluster.scheduler_address)
    thread.join()
    assert killed, "the run ended before a worker could be killed"
    assert remote.code == local.code
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    assert (tmp_path / "dask.sarif").read_bytes() == (tmp_path / "local.sarif").read_bytes()
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)     # the nanny brings the killed worker back


def _finished_batches(dask_scheduler) -> int:
    return sum(1 for key, task in dask_scheduler.tasks.items()
               if "policycheck-batch" in str(key) and task.state == "memory")


def test_an_unreachable_scheduler_is_exit_2_naming_it(cli):
    import dask

    import socket

    with socket.socket() as probe:       # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = cli("run", POLICIES, CONTRACTS, "--dask", address)
    assert result.code == 2 and result.out == ""
    assert f"cannot reach the Dask scheduler at {address}" in result.err
    assert "Traceback" not in result.err


def test_a_malformed_address_is_exit_2(cli):
    result = cli("run", POLICIES, CONTRACTS, "--dask", "nonsense://x")
    assert result.code == 2 and "cannot reach the Dask scheduler at nonsense://x" in result.err


def test_a_worker_with_another_version_is_exit_2(cli, cluster, monkeypatch):
    mine = identity()
    monkeypatch.setattr(cluster_client, "identity", lambda: type(mine)("0.0.1", mine.rule_book))
    result = cli("run", POLICIES, CONTRACTS, "--dask", cluster.scheduler_address)
    assert result.code == 2 and result.out == ""
    assert f"of {cluster.scheduler_address} runs policycheck {mine.version}; this client runs policycheck 0.0.1" \
        in result.err


def test_a_batch_from_another_version_is_refused_on_the_worker():
    mine = identity()
    assert check_batch(tuple(Header("0.0.1", mine.rule_book, "x")), b"", []) == \
        ("mismatch", f"runs policycheck {mine.version}, the client 0.0.1")
    status, why = check_batch(tuple(Header(mine.version, "0" * 64, "x")), b"", [])
    assert status == "mismatch" and "different rule book" in why


def test_urls_without_a_cluster_are_a_usage_error(cli):
    result = cli("run", POLICIES, "s3://bucket/contracts/")
    assert result.code == 2
    assert "s3://bucket/contracts/ is a URL" in result.err and "--dask ADDRESS" in result.err


def test_a_bad_dask_key_in_the_config_names_its_line(cli, tmp_path):
    (tmp_path / "policycheck.yaml").write_text("policies: [p/]\ndask: [a, b]\n")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.policy").write_text("require governing_law in [CN]\n")
    result = cli("run", "x.txt", cwd=tmp_path)
    assert result.code == 2 and "policycheck.yaml:2:1: 'dask' must be a non-empty string, not a list" in result.err


def test_a_run_without_dask_never_imports_it(tmp_path):
    script = ("import sys\n"
              "from policycheck.cli.main import main\n"
              f"code = main(['run', {str(POLICIES)!r}, {str(CONTRACTS)!r}, '-q', '--no-cache', '-j', '2'])\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec'))\n"
              "print(code, loaded)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert done.stdout.strip() == "1 []", done.stderr


def test_a_scheduler_that_goes_away_is_exit_2_naming_it(cli, tmp_path, corpus):
    cluster = _local_cluster(workers=1)
    address = cluster.scheduler_address
    closer = threading.Timer(1.5, cluster.close)
    closer.start()
    try:
        result = cli("run", POLICIES, corpus, corpus, corpus, "-f", f"json:{tmp_path / 'out.json'}", "-q",
                     "--no-cache", "--dask", address)
    finally:
        closer.join()
        cluster.close()
    assert result.code == 2, result
    assert address in result.err and "Traceback" not in result.err
    assert not (tmp_path / "out.json").exists()       # no half report where a whole one is expected


def test_leaving_a_run_early_cancels_its_work_on_the_cluster(cluster, corpus):
    from policycheck.cluster.client import ClusterRun
    from policycheck.pipeline import Checker
    from policycheck.policy.loader import load_policies

    policy_set, _ = load_policies([str(POLICIES)])
    paths = [str(p) for p in sorted(corpus.rglob("*.txt")) if ".hidden" not in str(p)] * 4
    with ClusterRun(cluster.scheduler_address) as run:
        results = run.check(Checker.create(policy_set), paths, streams=None, fail_on="error")
        next(results)
        # as on Ctrl-C: the run is left with batches in flight
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
        deadline = time.monotonic() + 30
        while watcher.run_on_scheduler(_open_batches) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert watcher.run_on_scheduler(_open_batches) == 0


def _open_batches(dask_scheduler) -> int:
    return sum(1 for key in dask_scheduler.tasks if "policycheck-batch" in str(key))


def test_the_users_extractors_reach_the_workers(cli, cluster, tmp_path):
    project = tmp_path / "project"
    (project / "facts").mkdir(parents=True)
    (project / "facts" / "escrow.yaml").write_text(ESCROW_RULES, encoding="utf-8")
    (project / "escrow.policy").write_text("flag escrow_release_period > 30d\n", encoding="utf-8")
    (project / "deal.txt").write_text("The escrow deposit will be released within fifty (50) days of closing.\n",
                                      encoding="utf-8")
    (project / "policycheck.yaml").write_text("policies: [escrow.policy]\nextractors: [facts/]\n", encoding="utf-8")
    local = cli("run", "deal.txt", "-f", "json", "--no-cache", "-j", "1", cwd=project)
    remote = cli("run", "deal.txt", "-f", "json", "--no-cache", "--dask", cluster.scheduler_address, cwd=project)
    assert (remote.code, remote.out) == (local.code, local.out)
    assert "escrow_release_period = 50d" in remote.out


def test_the_library_api_on_a_dask_bag(cluster, tmp_path):
    """The pattern of docs/scale-out.md: a bag of paths mapped with a shipped Policies object."""
    import dask
    import dask.bag

    from policycheck.api import PolicycheckError, load_policies

    paths = [str(p) for p in sorted(CONTRACTS.rglob("*.txt"))] + [str(tmp_path / "missing.txt")]
    policies = load_policies([str(POLICIES)])

    def check_path(path, policies):
        try:
            with open(path, "rb") as handle:
                return policies.check_bytes(handle.read(), path)
        except (OSError, PolicycheckError) as error:
            return {"path": path, "error": str(error)}

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        bag = dask.bag.from_sequence(paths, partition_size=4).map(check_path, dask.delayed(policies))
        documents = bag.compute(scheduler=client.get)
    expected = [policies.check_bytes(Path(p).read_bytes(), p) for p in paths[:-1]]
    assert documents[:-1] == expected
    assert documents[-1]["path"].endswith("missing.txt") and "error" in documents[-1]


def test_ctrl_c_cancels_the_runs_work_on_the_cluster(cluster, tmp_path, corpus):
    # Enough work that the run is still going when the first batch is seen finished, however
    # fast the machine: with too little, the run could end before the interrupt arrived.
    sources = [p for p in sorted(corpus.rglob("*.txt")) if ".hidden" not in str(p)]
    big = tmp_path / "many"
    big.mkdir()
    for copy in range(24):
        for index, path in enumerate(sources):
            (big / f"{copy}-{index}.txt").write_bytes(path.read_bytes() + f"\nCopy {copy}.\n".encode())
    process = subprocess.Popen([sys.executable, "-m", "policycheck", "run", str(POLICIES), str(big), "-q",
                                "--dask", cluster.scheduler_address], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
        deadline = time.monotonic() + 120
        while watcher.run_on_scheduler(_finished_batches) < 1 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 2 and "Aborted." in err and "Traceback" not in err, err
        deadline = time.monotonic() + 30
        while watcher.run_on_scheduler(_open_batches) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert watcher.run_on_scheduler(_open_batches) == 0


class _Finished:
    """A future that ends with ``error`` (what the scheduler reports for a batch)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self):
        raise self.error


def test_a_batch_whose_workers_keep_dying_becomes_input_errors():
    from distributed import KilledWorker

    run = cluster_client.ClusterRun("tcp://scheduler.invalid:8786")
    batch = [Contract("a.txt", "/data/a.txt"), Contract("b.txt", "/data/b.txt")]
    errors = run._outcome(_Finished(KilledWorker("policycheck-batch-1", "tcp://10.0.0.5:4000", 3)), batch)
    assert [(e.path, e.message) for e in errors] == [
        (name, "could not be checked: every Dask worker that took it died (out of memory?)")
        for name in ("a.txt", "b.txt")]


@pytest.mark.parametrize("error, message", [
    (distributed.client.FutureCancelledError("k", "scheduler-connection-lost", None),
     "lost the Dask scheduler at tcp://scheduler.invalid:8786"),
    (OSError("connection reset"), "lost the Dask scheduler at tcp://scheduler.invalid:8786: OSError: connection reset"),
    (ModuleNotFoundError("No module named 'policycheck.cluster'"),
     "could not run policycheck's task: ModuleNotFoundError"),
])
def test_cluster_failures_of_a_batch_are_cluster_errors(error, message):
    run = cluster_client.ClusterRun("tcp://scheduler.invalid:8786")
    with pytest.raises(cluster_client.ClusterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run._outcome(_Finished(error), [Contract("a.txt", "/data/a.txt")])
