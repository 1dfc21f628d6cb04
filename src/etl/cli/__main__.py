"""`python -m etl.cli` runs the `etl` command."""

from etl.cli import main

main()
