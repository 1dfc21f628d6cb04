"""People's Daily indicator ETL: discover -> fetch -> parse -> clean -> extract -> load."""

__version__ = "0.1.0"
