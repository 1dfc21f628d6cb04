"""The analyst copy: published atomically at the end of every run and by `etl publish`, readable by
DuckDB 1.1 and later clients, and never in a run's way; waits on DuckDB's lock honour --lock-wait
and name the process holding the file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.config import ANALYST_DB_ENV

ETL = Path(sys.executable).with_name("etl")


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


@contextmanager
def _process(script: str) -> Iterator[subprocess.Popen[str]]:
    """A separate Python process running `script`; it is told to go on by a line on its stdin."""
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def _line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().strip()


def _tell(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.flush()


# A reader holding the analyst copy open: it counts the runs, waits, counts again on the same
# connection, then reconnects and counts once more.
_READER = """
    import duckdb, sys
    path = {path!r}
    con = duckdb.connect(path, read_only=True)
    print(con.execute("SELECT count(*) FROM runs").fetchall()[0][0], flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM runs").fetchall()[0][0], flush=True)
    con.close()
    con = duckdb.connect(path, read_only=True)
    print(con.execute("SELECT count(*) FROM runs").fetchall()[0][0], flush=True)
"""

# A process holding the working warehouse for writing, as a second writer or a careless session would.
_WRITER = """
    import duckdb, sys
    con = duckdb.connect({path!r})
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_the_analyst_path_sits_next_to_the_working_file() -> None:
    assert load.analyst_path_for(Path("warehouse/peoples_daily.duckdb")) == Path(
        "warehouse/peoples_daily_analyst.duckdb"
    )


def test_publish_copies_tables_views_and_comments_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    load.start_run(db, "r1", "daily_epaper", {})
    target = load.publish(db)
    assert target == tmp_path / "w_analyst.duckdb"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w_analyst.duckdb"]
    catalog = (
        "SELECT (SELECT list(table_name ORDER BY table_name) FROM duckdb_tables()), "
        "(SELECT list(view_name ORDER BY view_name) FROM duckdb_views() WHERE NOT internal), "
        "(SELECT count(*) FROM duckdb_columns() WHERE comment IS NOT NULL)"
    )
    with load.connect(db, read_only=True) as con:
        working = con.execute(catalog).fetchall()
    with load.connect(target, read_only=True) as con:
        assert con.execute(catalog).fetchall() == working
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("r1",)]


def test_publish_refuses_to_copy_the_warehouse_onto_itself(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    with pytest.raises(ValueError, match="working warehouse itself"):
        load.publish(db, db)


def test_a_reader_of_the_copy_keeps_its_snapshot_and_blocks_no_publish(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    load.start_run(db, "r1", "daily_epaper", {})
    target = load.publish(db)
    with _process(_READER.format(path=str(target))) as reader:
        assert _line(reader) == "1"
        load.start_run(db, "r2", "daily_epaper", {})
        load.publish(db, wait_seconds=0)  # would raise WarehouseBusy if the reader held anything of ours
        _tell(reader)
        assert _line(reader) == "1"  # its open connection still reads the old snapshot
        assert _line(reader) == "2"  # reconnected: the new one
    assert _count(target, "SELECT count(*) FROM runs") == 2


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_runs_publish_and_a_reader_of_the_copy_never_holds_them_up(
    tmp_path: Path, site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.epaper import daily_epaper

    db = tmp_path / "work" / "w.duckdb"
    copy = tmp_path / "for analysts" / "daily.duckdb"
    monkeypatch.setenv(ANALYST_DB_ENV, str(copy))
    first = daily_epaper(date="2025-09-03", db=str(db), base_url=site_url, delay=0)
    assert first.status == "ok"
    assert _count(copy, "SELECT count(*) FROM runs WHERE status = 'ok'") == 1
    assert _count(copy, "SELECT count(*) FROM articles") == 5
    with _process(_READER.format(path=str(copy))) as reader:
        assert _line(reader) == "1"
        # The run needs the working file only, and waits for nobody: a zero lock wait would fail it.
        second = daily_epaper(date="2025-09-03", db=str(db), base_url=site_url, delay=0, lock_wait=0)
        assert second.status == "ok"
        # `etl publish` on demand, while the reader still has the copy open.
        done = subprocess.run(
            [str(ETL), "publish", "--db", str(db), "--analyst-db", str(copy), "--lock-wait", "0"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"published {copy}"
        _tell(reader)
        assert _line(reader) == "1"
        assert _line(reader) == "2"


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_a_run_waits_lock_wait_for_a_held_warehouse_and_names_the_holder(
    tmp_path: Path, site_url: str
) -> None:
    from flows.epaper import daily_epaper

    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    with _process(_WRITER.format(path=str(db))) as writer:
        assert _line(writer) == "held"
        with pytest.raises(load.WarehouseBusy, match=rf"held by PID {writer.pid} \(.*python.* -c"):
            daily_epaper(date="2025-09-03", db=str(db), base_url=site_url, delay=0, lock_wait=1)
        # The same wait, reached from the command line.
        done = subprocess.run(
            [str(ETL), "publish", "--db", str(db), "--lock-wait", "0.5"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        _tell(writer)
    assert done.returncode == 3
    # Not in silence: first who it waits for, then one closing line saying why it gave up.
    waiting, gave_up = done.stderr.strip().splitlines()
    assert (
        waiting.startswith(f"warehouse {db} is held by PID {writer.pid} (")
        and "waiting up to 0.5 s" in waiting
    )
    assert gave_up.startswith(f"etl: warehouse busy: {db} held by PID {writer.pid} (")


def test_lock_holder_reads_the_pid_from_duckdbs_message() -> None:
    own = os.getpid()
    message = (
        f'Could not set lock on file "/w.duckdb": Conflicting lock is held in /usr/bin/python3 (PID {own})'
    )
    holder = load.lock_holder(message)
    assert holder is not None and holder.startswith(f"PID {own} (") and "python" in holder
    # A process gone (or unreadable) is named by the program DuckDB saw.
    gone = "Conflicting lock is held in /opt/tool/bin/duckdb (PID 999999999) by user x"
    assert load.lock_holder(gone) == "PID 999999999 (/opt/tool/bin/duckdb)"
    assert load.lock_holder("IO Error: something else") is None


def test_etl_publish_refuses_bad_paths_before_writing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    missing = subprocess.run([str(ETL), "publish", "--db", str(db)], capture_output=True, text=True)
    assert missing.returncode == 2 and "no warehouse there yet" in missing.stderr
    load.ensure_schema(db)
    itself = subprocess.run(
        [str(ETL), "publish", "--db", str(db), "--analyst-db", str(db)], capture_output=True, text=True
    )
    assert itself.returncode == 2 and "must not be the working warehouse itself" in itself.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


# --------------------------------------------------------------------------- older clients

# Clients analysts use that cannot be installed next to the pinned duckdb: each gets a small venv of
# its own from PyPI, made once and kept outside the checkout ($XDG_CACHE_HOME, else ~/.cache), so
# that a fresh .venv does not download them again.
COMPAT_CLIENTS = {"duckdb": "1.1.3", "duckdb-cli": "1.5.6"}
COMPAT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peoples-daily-etl"

_COMPAT_QUERY = (
    "SELECT (SELECT count(*) FROM v_indicators), (SELECT count(*) FROM articles), "
    "(SELECT count(*) FROM v_open_failures), (SELECT live_url('http://127.0.0.1/n1/2025/0903/c1-2.html')), "
    "(SELECT count(*) FROM articles WHERE canonical_url LIKE 'http://paper.people.com.cn/%'), "
    "(SELECT count(*) FROM duckdb_columns() WHERE comment IS NOT NULL), "
    "(SELECT min(published_at)::VARCHAR FROM articles WHERE page IS NOT NULL)"
)


def _compat_venv(package: str) -> Path:
    version = COMPAT_CLIENTS[package]
    python = f"py{sys.version_info.major}.{sys.version_info.minor}"
    venv = COMPAT_CACHE / f"compat-{package}-{version}-{python}"
    ready = venv / ".installed"
    if not ready.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", f"{package}=={version}"],
            check=True,
            timeout=900,
        )
        ready.touch()
    return venv


@pytest.mark.slow
def test_the_copy_opens_in_duckdb_1_1_and_the_1_5_cli(sample_warehouse: Path) -> None:
    copy = load.analyst_path_for(sample_warehouse)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        expected = [str(v) for v in con.execute(_COMPAT_QUERY).fetchall()[0]]
    finally:
        con.close()
    assert int(expected[0]) > 0 and expected[6] == "2025-09-02 16:00:00+00"  # Beijing midnight
    assert expected[3] == "http://www.people.com.cn/n1/2025/0903/c1-2.html"  # the macro, copied

    python = _compat_venv("duckdb") / "bin" / "python"
    script = textwrap.dedent("""
        import duckdb, sys
        print(duckdb.__version__)
        con = duckdb.connect(sys.argv[1], read_only=True)
        con.execute("SET TimeZone = 'UTC'")
        print("|".join(str(v) for v in con.execute(sys.argv[2]).fetchall()[0]))
    """)
    old = subprocess.run(
        [str(python), "-c", script, str(copy), _COMPAT_QUERY], capture_output=True, text=True, timeout=120
    )
    assert old.returncode == 0, old.stderr
    assert old.stdout.splitlines() == [COMPAT_CLIENTS["duckdb"], "|".join(expected)]
    # Why the copy exists: the same client cannot open the working file DuckDB 2 wrote.
    refused = subprocess.run(
        [str(python), "-c", script, str(sample_warehouse), "SELECT 1"], capture_output=True, text=True
    )
    assert refused.returncode != 0

    cli = _compat_venv("duckdb-cli") / "bin" / "duckdb"
    shown = subprocess.run(
        [
            str(cli),
            "-readonly",
            "-csv",
            "-noheader",
            str(copy),
            "-c",
            f"SET TimeZone = 'UTC'; {_COMPAT_QUERY}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().split(",") == expected


def test_runs_refuse_an_analyst_copy_they_could_not_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.config import SettingError, Settings

    db = tmp_path / "w.duckdb"
    assert Settings.from_options(str(db)).analyst_db == str(tmp_path / "w_analyst.duckdb")
    monkeypatch.setenv(ANALYST_DB_ENV, str(db))
    with pytest.raises(SettingError, match=f"{ANALYST_DB_ENV}=.*must not be the working warehouse itself"):
        Settings.from_options(str(db))
    monkeypatch.setenv(ANALYST_DB_ENV, str(tmp_path))
    with pytest.raises(SettingError, match="is a directory"):
        Settings.from_options(str(db))
