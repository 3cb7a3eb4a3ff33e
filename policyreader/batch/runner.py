"""``scan``: the per-file function over every file, written whole-line by line in path order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policyreader.batch.engines import (
    WINDOW_PER_WORKER,
    closing_engine,
    open_engine,
    ordered_results,
)
from policyreader.batch.jsonl import compact, drop_torn_tail, known_fingerprints, write_csv
from policyreader.batch.progress import Progress
from policyreader.core.scan import failed_line, policy_files, scan_files


@dataclass(frozen=True, slots=True)
class ScanOptions:
    detector: str = "combined"
    keep_text: bool = False
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    csv: Path | None = None
    chunk: int | None = None  # files per call; None: 1 on this machine, DASK_CHUNK on a cluster


# A Dask scheduler spends about a millisecond per task: a million single-file tasks would keep it
# busy longer than the workers; fifty files per task make it a twentieth.
DASK_CHUNK = 50


@dataclass(frozen=True, slots=True)
class ScanResult:
    files: int
    written: int  # lines written by this run
    skipped: int  # unchanged files already in the output (``--resume``)
    failed: int  # lines with an error, in the whole output


def run_scan(
    paths: list[str], out: Path, options: ScanOptions, progress: Progress | None = None
) -> ScanResult:
    """Scan ``paths`` into ``out``; ends with one line per file, sorted by path, whatever the engine."""
    files = policy_files(paths)
    known: dict[str, str | None] = {}
    if options.resume and out.exists():
        drop_torn_tail(out)
        known = known_fingerprints(out)
    else:
        out.write_text("", encoding="utf-8")
    # A file recorded with a fingerprint is checked by a worker; a failed one is tried again.
    tasks = [(f, options.detector, options.keep_text, known.get(f)) for f in files]
    progress = progress or Progress(len(tasks))
    written = skipped = 0
    size = options.chunk or (DASK_CHUNK if options.engine == "dask" else 1)
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    with closing_engine(open_engine(options.engine, options.jobs, options.scheduler)) as engine:
        window = max(2, engine.workers * WINDOW_PER_WORKER // size)
        with out.open("a", encoding="utf-8") as handle:
            for chunk, lines, error in ordered_results(
                engine, scan_files, [(c,) for c in chunks], window
            ):
                for task, line in zip(chunk[0], lines or [None] * len(chunk[0]), strict=True):
                    if error is not None:
                        line = failed_line(
                            task[0],
                            f"{task[0]} was not analysed: the worker failed "
                            f"({type(error).__name__}: {error}).",
                        )
                    if line is None:
                        skipped += 1
                    else:
                        # One write per whole line, flushed: a kill leaves at most one torn last line.
                        handle.write(line + "\n")
                        handle.flush()
                        written += 1
                    progress.advance()
    progress.finish()
    compact(out, files)  # a resumed run may have appended a newer line for a changed file
    if options.csv is not None:
        write_csv(out, options.csv)
    failed = sum(1 for fp in known_fingerprints(out).values() if fp is None)
    return ScanResult(len(files), written, skipped, failed)
