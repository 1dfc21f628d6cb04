"""The paper's text grammar: normalisation, datelines, issue references, bylines and credit lines.

Shared below the stages: the parsers read pages with it, the clean stage tidies parsed text with
it and discovery drops 责编 credit lines by it, so it belongs to none of them.
"""
