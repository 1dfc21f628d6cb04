"""The warehouse documents itself: a comment on every table, view and column, warehouse/README.md
generated from those comments, and example queries that answer real questions on real data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.load import analyst_path_for, migrate
from etl.load.docs import README_FILE, Example, migrated_warehouse, read_examples, readme
from etl.load.migrations import WAREHOUSE_SQL_DIR


def test_every_table_view_and_column_has_a_comment() -> None:
    con = migrated_warehouse()
    try:
        relations = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR trim(comment) = '' "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internAL "
            "AND (comment IS NULL OR trim(comment) = '')"
        ).fetchall()
        columns = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE NOT internal AND (comment IS NULL OR trim(comment) = '') ORDER BY 1"
        ).fetchall()
        described = con.execute("SELECT count(*) FROM duckdb_columns() WHERE NOT internal").fetchall()
        macros = con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE schema_name = 'main' AND NOT internal "
            "AND function_type IN ('macro', 'table_macro') AND (comment IS NULL OR trim(comment) = '')"
        ).fetchall()
    finally:
        con.close()
    assert relations == []
    assert columns == []
    assert macros == []
    assert described[0][0] > 100  # the query above looked at the warehouse, not at nothing


def test_comments_survive_a_second_migrate(tmp_path: Path) -> None:
    # Views are recreated on every migrate, which drops their comments: they must come back.
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    try:
        migrate(con)
        migrate(con)
        missing = con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
        ).fetchall()
    finally:
        con.close()
    assert missing == [(0,)]


def test_the_committed_readme_is_generated_from_the_comments() -> None:
    committed = (WAREHOUSE_SQL_DIR / README_FILE).read_text(encoding="utf-8")
    assert committed == readme(), "warehouse/README.md is stale: run python -m etl.load.docs"


def test_the_readme_names_the_file_analysts_open_and_every_column() -> None:
    text = readme()
    assert f"`{analyst_path_for(Path('peoples_daily.duckdb')).name}`" in text
    con = migrated_warehouse()
    try:
        columns = con.execute("SELECT column_name FROM duckdb_columns() WHERE NOT internal").fetchall()
    finally:
        con.close()
    assert [c for (c,) in columns if f"| `{c}` |" not in text] == []


def test_examples_are_read_question_by_question(tmp_path: Path) -> None:
    (tmp_path / "examples.sql").write_text(
        "-- a header line\n\n-- question: How many?\nSELECT 1;\n\n"
        "-- question: And which?\nSELECT 2\nFROM x;\n",
        encoding="utf-8",
    )
    assert read_examples(tmp_path) == [
        Example("How many?", "SELECT 1"),
        Example("And which?", "SELECT 2\nFROM x"),
    ]
    (tmp_path / "examples.sql").write_text("-- question: Nothing?\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no query"):
        read_examples(tmp_path)


EXAMPLES = read_examples()


def test_there_are_ten_examples() -> None:
    assert len(EXAMPLES) == 10
    assert len({e.question for e in EXAMPLES}) == 10


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=[e.question[:40] for e in EXAMPLES])
def test_each_example_answers_on_the_sample_site(sample_warehouse: Path, example: Example) -> None:
    # Run where analysts run it: on the published copy.
    con = duckdb.connect(str(analyst_path_for(sample_warehouse)), read_only=True)
    try:
        rows = con.execute(example.sql).fetchall()
    finally:
        con.close()
    assert len(rows) >= 1, example.question
