"""The encoding matrix's leak counts: inbound, outbound, streamed.

    .venv/bin/python bench/encoding_leaks.py [--list N]

The matrix is tests/encoding_matrix.py (structured values x separators x control
characters x look-alikes x positions). Inbound: the retail chatbot's decision
(pure core, reference enterprise) must forward none of the value and record its
label. Outbound: the same chatbot's output filter on an answer holding the text,
whole, and streamed in chunks cut at every boundary inside the value. Prints the
size of each part and how many cases leak, per value and per control character,
and the first N leaking cases.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.encoding_matrix import (  # noqa: E402
    cases,
    inbound_leak,
    outbound_leak,
    stream_cases,
    stream_leak,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", type=int, default=10, help="leaking cases to print")
    parser.add_argument("--no-stream", action="store_true", help="skip the streamed part")
    args = parser.parse_args()
    parts = [("inbound", cases, inbound_leak), ("outbound", cases, outbound_leak)]
    if not args.no_stream:
        parts.append(("streamed", stream_cases, stream_leak))
    for name, source, check in parts:
        started = time.perf_counter()
        size = 0
        leaks: list[tuple[str, str]] = []
        by_value: Counter[str] = Counter()
        by_control: Counter[str] = Counter()
        by_separator: Counter[str] = Counter()
        for case in source():
            size += 1
            why = check(case)
            if why is not None:
                leaks.append((case.id, why))
                by_value[case.value.name] += 1
                by_control[case.control] += 1
                by_separator[case.separator] += 1
        elapsed = time.perf_counter() - started
        print(f"{name:9} {len(leaks):5} leaks of {size:5} cases ({elapsed:.1f} s)")
        if leaks:
            print(f"  by value:     {dict(by_value.most_common())}")
            print(f"  by separator: {dict(by_separator.most_common())}")
            print(f"  by control:   {dict(by_control.most_common())}")
            for case_id, why in leaks[: args.list]:
                print(f"    {case_id}: {why[:140]}")


if __name__ == "__main__":
    main()
