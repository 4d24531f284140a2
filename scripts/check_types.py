"""Run mypy on src/ and fail on any error that is not in the ratchet file (types/mypy-baseline.txt).

The baseline lists the errors the code had when type checking was added, without line numbers (so
an edit above an old error does not move it). A new error fails; an error fixed is reported so the
baseline can shrink (``--update`` rewrites it). The baseline may only shrink in review.

    python scripts/check_types.py            # check
    python scripts/check_types.py --update   # rewrite the baseline from the current errors
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "types" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def current_errors() -> Counter:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src/claimledger"], cwd=REPO, capture_output=True, text=True
    )
    if result.returncode not in (0, 1) or "error: " in result.stderr:
        sys.exit(f"check_types: mypy did not run: {(result.stderr or result.stdout).strip().splitlines()[-1:]}")
    errors: Counter = Counter()
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            errors[f"{match['path']}: {match['message']}"] += 1
    return errors


def read_baseline() -> Counter:
    if not BASELINE.exists():
        return Counter()
    lines = [line for line in BASELINE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return Counter(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline from the current errors")
    args = parser.parse_args(argv)
    errors = current_errors()
    if args.update:
        BASELINE.parent.mkdir(exist_ok=True)
        header = "# mypy errors accepted when type checking was added (scripts/check_types.py); may only shrink\n"
        BASELINE.write_text(header + "".join(f"{line}\n" for line in sorted(errors.elements())), encoding="utf-8")
        print(f"check_types: baseline written, {sum(errors.values())} errors")
        return 0
    baseline = read_baseline()
    new = errors - baseline
    fixed = baseline - errors
    if fixed:
        print(f"check_types: {sum(fixed.values())} baseline errors are gone; run with --update to shrink the baseline")
    if new:
        print("check_types: new mypy errors (fix them; the baseline may not grow):")
        for line in sorted(new.elements()):
            print(f"  {line}")
        return 1
    print(f"check_types: ok ({sum(errors.values())} known errors, none new)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
