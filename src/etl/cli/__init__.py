"""`etl` command line: the group and its shared parts live in `common`, each command family in its
own module, registered by importing it here. Other tools depend on the command and option names."""

from etl.cli import (  # noqa: F401  (each module registers its commands)
    backfill,
    crawl,
    export,
    failures,
    publish,
    report,
    reprocess,
    schema,
    serve,
    status,
    text,
)
from etl.cli.common import main

__all__ = ["main"]
