"""Policy tests: cases kept next to policies (``<name>.tests.yaml``), run by ``policycheck test``."""

from policycheck.policytest.cases import TestFile, TestFileError, read_test_file
from policycheck.policytest.suite import SuiteResult, run_suite

__all__ = ["SuiteResult", "TestFile", "TestFileError", "read_test_file", "run_suite"]
