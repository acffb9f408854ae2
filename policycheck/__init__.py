"""policycheck: check contracts against a policy written in a small rule language.

Pipeline: path -> Document (policycheck.document) -> Facts (policycheck.facts)
-> Findings (policycheck.findings) -> Report (policycheck.report).
The policy language lives in policycheck.policy.
"""

__version__ = "0.1.0"
