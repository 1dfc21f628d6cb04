"""Version pins: a component's version and the digest of what it outputs on fixed inputs, kept in a
file next to it. A test compares the digest with the pin, so output cannot change while the version
stays; `python -m etl.<component>.fingerprint --update` re-pins. The extractor and the parser keep
their pins this way (the versions are stored with every row they produce)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Pin:
    component: str  # "extractor", "parser": what the messages call it
    version_name: str  # the constant to bump, e.g. EXTRACTOR_VERSION
    version: str  # its value now
    path: Path  # the pin file: "<version> <digest>"
    inputs: str  # what else moves the digest, e.g. "gold texts"
    inputs_flag: str  # the option saying only those moved, e.g. "--texts-changed"


def read_pin(path: Path) -> tuple[str, str]:
    """The pinned (version, digest); ("", "") before the first pin."""
    if not path.exists():
        return "", ""
    version, value = path.read_text(encoding="utf-8").split()
    return version, value


def pin_tool(pin: Pin, compute: Callable[[], str], description: str | None, argv: list[str] | None) -> int:
    """Show the pin and the current digest (exit 1 when they differ), or with --update re-pin,
    refusing a new digest under the same version unless only the inputs changed."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--update", action="store_true", help="pin the current version and digest")
    ap.add_argument(
        pin.inputs_flag,
        dest="inputs_changed",
        action="store_true",
        help=f"with --update: the digest moved because {pin.inputs} were added or edited, not because "
        f"the {pin.component} changed, so the version may stay",
    )
    args = ap.parse_args(argv)
    current = compute()
    version, value = read_pin(pin.path)
    if args.update:
        if version == pin.version and value != current and not args.inputs_changed:
            print(
                f"the {pin.component}'s output changed under version {version}: bump {pin.version_name} "
                f"first (or pass {pin.inputs_flag} if only the {pin.inputs} changed)",
                file=sys.stderr,
            )
            return 1
        pin.path.write_text(f"{pin.version} {current}\n", encoding="utf-8")
        print(f"pinned {pin.version} {current}")
        return 0
    print(f"pinned  {version} {value}\ncurrent {pin.version} {current}")
    return 0 if (version, value) == (pin.version, current) else 1
