"""The shipped ISO 3166 data file is complete, and current with pycountry when it is installed.

policycheck never imports pycountry at run time (loading it costs about 200 ms): the data are
derived from it by tools/iso3166_data.py and shipped as policycheck/values/iso3166.json.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policycheck.values.jurisdictions import iso_data

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_file_holds_every_country_and_subdivision():
    data = iso_data()
    codes = [row[0] for row in data["countries"]]
    assert len(codes) == 249 and len(set(codes)) == 249
    assert {"DE", "LT", "KR", "IL", "HK", "MO", "TW", "CN"} <= set(codes)
    subdivisions = {row[0] for row in data["subdivisions"]}
    assert len(subdivisions) > 5000
    assert {"US-CA", "CA-ON", "AU-VIC", "DE-BY", "CN-GD", "GB-SCT", "IN-MH"} <= subdivisions
    chinese = {row[0]: row[4] for row in data["countries"]}
    assert chinese["DE"] == "德国" and chinese["SG"] == "新加坡"


def test_run_does_not_import_pycountry():
    code = ("import sys; from policycheck.facts.slots import slots; slots();"
            "from policycheck.values.jurisdictions import table; table();"
            "print('pycountry' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_shipped_file_is_what_the_script_writes():
    """With the pycountry release the file names, the script writes the file byte for byte."""
    pytest.importorskip("pycountry")
    from importlib.metadata import version

    if not iso_data()["source"].endswith(f"pycountry {version('pycountry')}"):
        pytest.skip("another pycountry release than the one the shipped file was written from")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "iso3166_data.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
