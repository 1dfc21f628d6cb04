"""The one exception the parse stage raises."""


class ParseError(Exception):
    """A page could not be parsed. The message is a one-line human reason, stored as the failure."""
