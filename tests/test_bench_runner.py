"""`make bench`'s runner (benchmarks/run.py): choosing lines with --only, the table it writes, and
how the fundus comparison says why it could not measure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "benchmarks" / "run.py"
sys.path.insert(0, str(ROOT))

from benchmarks import fundus_compare  # noqa: E402
from benchmarks.run import StageClock  # noqa: E402


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUNNER), *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def test_only_measures_the_groups_named(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    done = _bench("--quick", "--only", "stages", "--output", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text("utf-8"))
    assert report["only"] == ["stages"]
    assert [line["name"] for line in report["lines"]] == ["parse + clean + extract"]
    assert report["lines"][0]["data"]["pages_s"] > 0


def test_an_unknown_group_is_refused() -> None:
    done = _bench("--only", "stages,warp-drive")
    assert done.returncode == 2
    assert "--only: unknown warp-drive" in done.stderr


def test_the_stage_clock_times_the_calls_of_a_run_and_puts_them_back(tmp_path: Path) -> None:
    from etl import compose, load

    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    originals = (compose.read_layout_page, load.validators_for, load.load_batch)
    with StageClock() as clock:
        assert load.validators_for is not originals[1]
        assert load.validators_for(db, ["http://paper.people.com.cn/a.html"], wait_seconds=0) == {}
    assert (compose.read_layout_page, load.validators_for, load.load_batch) == originals
    assert clock.seconds["warehouse reads"] > 0
    assert clock.seconds["load"] == 0 and clock.seconds["fetch"] == 0


def test_pip_says_in_one_line_why_fundus_is_not_installed() -> None:
    pip_output = (
        "Looking in indexes: https://example.invalid/simple\n"
        "ERROR: Ignored the following versions that require a different python version: 0.1\n"
        "ERROR: Could not find a version that satisfies the requirement fundus==99 (from versions: none)\n"
        "ERROR: No matching distribution found for fundus==99\n"
    )
    assert fundus_compare._one_line(pip_output) == "ERROR: No matching distribution found for fundus==99"
    assert fundus_compare._one_line("") == "no output"
