"""ordered_map: worker processes, results in input order, errors where they happened."""

from __future__ import annotations

import os
import time

import pytest

from policycheck.parallel import ordered_map, worth_parallel


def _slow_identity(item: int) -> tuple[int, int]:
    # Early items take longest, so workers finish out of order.
    time.sleep(0.002 * (item % 7 == 0) + 0.0005 * ((50 - item) % 5))
    return item, os.getpid()


def _fail_on_13(item: int) -> int:
    if item == 13:
        raise ValueError("thirteen")
    return item


def test_results_come_back_in_input_order_from_several_processes():
    results = list(ordered_map(_slow_identity, list(range(50)), jobs=2))
    assert [item for item, _ in results] == list(range(50))
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and len(workers) == 2


def test_one_job_runs_in_process():
    assert {pid for _, pid in ordered_map(_slow_identity, [1, 2, 3], jobs=1)} == {os.getpid()}


def test_an_error_is_raised_after_the_results_before_it():
    seen = []
    with pytest.raises(ValueError, match="thirteen"):
        for item in ordered_map(_fail_on_13, list(range(40)), jobs=2):
            seen.append(item)
    assert seen == list(range(13))


def test_small_inputs_are_not_worth_workers(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("x" * 1000)
    big = tmp_path / "big.txt"
    big.write_text("x" * 600_000)
    assert not worth_parallel([str(small), str(tmp_path / "missing.txt")])
    assert worth_parallel([str(small), str(big)])
