"""Parse + clean + extract against fundus's People's Daily parser, on the same pages.

`measure()` returns the numbers (the `make bench` runner calls it); run as a script it prints them.

fundus pins lxml and other packages at versions that conflict with ours, so it is installed into a
venv of its own, created once under benchmarks/.cache/ (gitignored; about 30 s with a reachable
package index) and reused by later runs. Its parser (`fundus.publishers.cn.people.PeopleParser`, the
portal's article layout) runs in a child process on that venv (benchmarks/fundus_parse_loop.py),
kept alive for the whole measurement: each round times its parse loop there, then ours here, both
in CPU time, and the ratio is of the medians (as in benchmarks/parse_speed.py).

The pages are parse_speed.py's (every article fixture page); fundus reads only the portal layout,
so both sides are timed on the subset it reads a body and a title from, and the result says how
many pages that is. Ours is parse_speed.py's loop: parse, clean and extract; fundus's is its parse.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
FUNDUS_VERSION = "0.5.7"
# fundus 0.5.7 asks for curl-cffi>=0.7,<1 but imports a name (normalize_browser_type) that curl-cffi
# 0.16 removed: pinned to the newest release it still imports with.
FUNDUS_PINS = (f"fundus=={FUNDUS_VERSION}", "curl-cffi==0.15.0")
# One venv per set of pins and Python version: changing either makes a new one.
VENV = CACHE / "-".join(
    [*(pin.replace("==", "-") for pin in FUNDUS_PINS), f"py{sys.version_info.major}{sys.version_info.minor}"]
)
LOOP = Path(__file__).with_name("fundus_parse_loop.py")
RUNS = 5


class FundusUnavailable(RuntimeError):
    """fundus could not be installed or started; the message is one line saying why."""


def _one_line(text: str) -> str:
    """The line of pip's output that says what went wrong (its last ERROR line), else the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or ["no output"])[-1][:300]


def fundus_python(venv: Path = VENV, pins: tuple[str, ...] = FUNDUS_PINS) -> Path:
    """The interpreter of a venv with `pins` (fundus and what it needs pinned) installed, created on
    first use."""
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if stamp.exists() and python.exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300
    )
    if made.returncode != 0:
        raise FundusUnavailable(f"venv: {_one_line(made.stderr or made.stdout)}")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if installed.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        raise FundusUnavailable(f"pip install {' '.join(pins)}: {_one_line(installed.stderr)}")
    stamp.touch()
    return python


class FundusLoop:
    """fundus's parse loop in a child process on its venv: `readable` pages, `run()` CPU seconds."""

    def __init__(self, python: Path, pages: list[str]) -> None:
        handle, name = tempfile.mkstemp(suffix=".json")
        os.close(handle)
        self._pages_file = Path(name)
        self._pages_file.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
        self._child = subprocess.Popen(
            [str(python), str(LOOP), str(self._pages_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self._read()
        hello = json.loads(first)
        self.version: str = hello["fundus"]
        self.readable: list[int] = hello["readable"]

    def _read(self) -> str:
        assert self._child.stdout is not None
        line = self._child.stdout.readline()
        if not line:
            self._child.wait(timeout=30)
            stderr = self._child.stderr.read() if self._child.stderr else ""
            raise FundusUnavailable(
                f"fundus's parse loop exited {self._child.returncode}: {_one_line(stderr)}"
            )
        return line

    def run(self) -> float:
        assert self._child.stdin is not None
        self._child.stdin.write("run\n")
        self._child.stdin.flush()
        return float(self._read())

    def close(self) -> None:
        if self._child.stdin is not None:
            self._child.stdin.close()
        try:
            self._child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        for stream in (self._child.stdout, self._child.stderr):
            if stream is not None:
                stream.close()
        self._pages_file.unlink(missing_ok=True)

    def __enter__(self) -> FundusLoop:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _parse_only(pages: list[tuple[str, str]]) -> None:
    """Our parse stage alone (template selection and fields), the part of our work fundus does."""
    from etl.parse import parse_article

    for html, url in pages:
        parse_article(html, url)


def measure(runs: int = RUNS) -> dict[str, Any]:
    """pages/s of ours and of fundus on the pages fundus reads; `unavailable` (one line) instead when
    fundus cannot be installed or started."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.parse_speed import _cpu, _ours, article_pages

    pages = article_pages()
    try:
        python = fundus_python()
        loop = FundusLoop(python, [html for html, _url in pages])
    except FundusUnavailable as exc:
        return {"unavailable": str(exc), "pages": len(pages)}
    with loop:
        subset = [pages[i] for i in loop.readable]
        if not subset:
            return {"unavailable": "fundus's People parser read none of the pages", "pages": len(pages)}
        _ours(subset)  # warm imports and caches on both sides
        loop.run()
        ours_s, parse_s, theirs_s = [], [], []
        for r in range(runs):
            # Alternate which side goes first, so a machine getting busier slows both alike.
            if r % 2:
                theirs_s.append(loop.run())
                ours_s.append(_cpu(_ours, subset))
                parse_s.append(_cpu(_parse_only, subset))
            else:
                ours_s.append(_cpu(_ours, subset))
                parse_s.append(_cpu(_parse_only, subset))
                theirs_s.append(loop.run())
    ours_rate = len(subset) / statistics.median(ours_s)
    parse_rate = len(subset) / statistics.median(parse_s)
    theirs_rate = len(subset) / statistics.median(theirs_s)
    return {
        "fundus": loop.version,
        "pages": len(pages),
        "pages_compared": len(subset),
        "compared_urls": [url for _html, url in subset],
        "pages_per_s": round(ours_rate, 1),
        "fundus_pages_per_s": round(theirs_rate, 1),
        "vs_fundus": round(ours_rate / theirs_rate, 3),
        # What fundus does: the page read into an article record, nothing cleaned or extracted.
        "parse_only_pages_per_s": round(parse_rate, 1),
        "parse_only_vs_fundus": round(parse_rate / theirs_rate, 3),
        "parse_s": parse_s,
        "ours_s": ours_s,
        "fundus_s": theirs_s,
    }


def main() -> int:
    for key, value in measure().items():
        print(f"{key:<20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
