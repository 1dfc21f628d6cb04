"""fundus's People's Daily parser over a list of pages, timed: the other side of
benchmarks/fundus_compare.py. It runs on the interpreter of fundus's own venv (fundus pins lxml and
other packages at versions that conflict with ours), so it imports nothing of this project.

    <fundus venv>/bin/python benchmarks/fundus_parse_loop.py PAGES.json

PAGES.json is a list of HTML strings. The first line printed is a JSON object: the fundus version and
`readable`, the indexes of the pages its parser reads an article body and a title from. Then each
line `run` read on stdin parses those pages once and prints the CPU seconds the loop took; end of
input ends the process.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version


def main() -> int:
    from fundus.publishers.cn.people import PeopleParser

    with open(sys.argv[1], encoding="utf-8") as f:
        pages: list[str] = json.load(f)
    parser = PeopleParser()()  # the newest version of the publisher's parser
    readable = []
    for index, html in enumerate(pages):
        try:
            parsed = parser.parse(html, error_handling="catch")
        except Exception:  # a page its lxml setup refuses outright
            continue
        body, title = parsed.get("body"), parsed.get("title")
        if body and not isinstance(body, Exception) and isinstance(title, str) and title.strip():
            readable.append(index)
    print(json.dumps({"fundus": version("fundus"), "readable": readable}), flush=True)
    subset = [pages[i] for i in readable]
    for line in sys.stdin:
        if line.strip() != "run":
            continue
        start = time.process_time()
        for html in subset:
            parser.parse(html, error_handling="suppress")
        print(time.process_time() - start, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
