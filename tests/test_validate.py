"""The validate stage's own parts (the tables it refuses are in test_cli.py and test_incidents.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline import paths


def _run(code: str) -> str:
    """Python code in a fresh interpreter, so the modules it imports start unloaded."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_module_put_off_loads_when_first_used():
    out = _run(
        "import sys\n"
        "from pipeline.validate import _load_on_first_use\n"
        "_load_on_first_use('colorsys')\n"
        "import colorsys\n"
        "from colorsys import rgb_to_hsv\n"  # (reads an attribute: loads it)
        "loaded = type(sys.modules['colorsys']).__name__\n"
        "print(loaded, rgb_to_hsv(1.0, 0.0, 0.0), colorsys.hsv_to_rgb(0, 0, 1))"
    )
    assert out == "module (0.0, 1.0, 1.0) (1, 1, 1)"


def test_a_module_put_off_and_never_used_is_not_loaded():
    out = _run(
        "import sys\n"
        "from pipeline.validate import _load_on_first_use\n"
        "_load_on_first_use('colorsys')\n"
        "import colorsys\n"
        "print(type(sys.modules['colorsys']).__name__)"
    )
    assert out == "_OnFirstUse"


@pytest.mark.e2e  # (a validation, with Great Expectations' import: seconds)
def test_great_expectations_loads_without_what_the_suites_never_use():
    """The distribution expectations' libraries stay unloaded through a whole validation."""
    out = _run(
        "import sys, tempfile\n"
        "from pathlib import Path\n"
        "import pyarrow as pa, pyarrow.parquet as pq\n"
        "from pipeline import paths, schema\n"
        "from pipeline.validate import validate\n"
        "folder = Path(tempfile.mkdtemp())\n"
        "pq.write_table(schema.STATEMENTS_SCHEMA.empty_table(), folder / 'statements.parquet')\n"
        "outcome = validate(folder / 'statements.parquet', paths.SUITE, folder / 'report')\n"
        "print(outcome.success, 'scipy.stats._stats_py' in sys.modules, 'altair.vegalite' in sys.modules)"
    )
    assert out == "True False False"
