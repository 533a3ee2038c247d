"""A journal that cannot grow refuses the decision, keeps what it had, and recovers.

The disk is "full" for real: a child process lowers its own file-size limit
(RLIMIT_FSIZE, SIGXFSZ ignored), so the kernel fails the journal's write with EFBIG
as it would with ENOSPC on a full disk. The child reports what it saw as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph.journal import Journal
from tests.serving import ROOT

CHILD = r"""
import json, resource, signal, sys
from pathlib import Path
from engine.errors import ProvenanceUnavailable
from graph.provenance_writer import ProvenanceWriter

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
writer = ProvenanceWriter(lambda d, a, r, s: None, Path(sys.argv[1])).start()
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))
accepted, refusal = [], None
for n in range(1000):
    record = {"id": f"dec_{n:032x}", "outcome": "allow", "pad": "x" * 500}
    try:
        writer.submit_decision(record)
    except ProvenanceUnavailable as exc:
        refusal = exc.message
        break
    accepted.append(record["id"])
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
writer.submit_decision({"id": "dec_after", "outcome": "allow"})  # space is back
accepted.append("dec_after")
writer.journal.close()  # leave the segment on disk, as a crash would
print(json.dumps({"accepted": accepted, "refusal": refusal}))
"""


def test_when_the_journal_cannot_grow_then_the_decision_is_refused_and_nothing_is_torn(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["refusal"] is not None
    assert "could not be recorded in the provenance journal" in report["refusal"]
    assert 10 < len(report["accepted"]) < 1000
    journal = Journal(tmp_path)
    try:
        on_disk = [r["id"] for p in journal.pending_files() for _, r in Journal.read(p)]
        # Every line whole: the failed write was cut back, not left half-written.
        lines = [
            line for p in journal.pending_files() for line in p.read_text().splitlines() if line
        ]
    finally:
        journal.close()
    assert on_disk == report["accepted"]
    assert len(lines) == len(on_disk)
