"""The queued files kept as columns read back as the jobs they were, whole, sliced and pickled."""

from __future__ import annotations

import pickle
from pathlib import Path

from reader.core.pipeline.build import FileJob, chunked
from reader.core.pipeline.job_columns import FileJobs


def _jobs() -> list[FileJob]:
    return [
        FileJob(Path("/corpus/a.txt"), 10, 1_700_000_000_123_456_789),
        FileJob(Path("/corpus/b é.md"), 0, 2, known_fingerprint="f" * 64),
        FileJob(Path("/corpus/c.txt"), 2**40, 3, known_fingerprint="g" * 64, index=False),
    ]


def test_columns_give_back_the_jobs_they_were_given() -> None:
    columns = FileJobs()
    columns.extend(_jobs())
    assert list(columns) == _jobs()
    assert len(columns) == 3 and columns[1] == _jobs()[1] and columns[-1] == _jobs()[-1]
    assert columns.paths == ["/corpus/a.txt", "/corpus/b é.md", "/corpus/c.txt"]


def test_a_slice_is_columns_too_and_travels_to_a_worker_whole() -> None:
    columns = FileJobs()
    columns.extend(_jobs() * 200)
    chunks = chunked(columns, 2)
    assert all(isinstance(chunk, FileJobs) for chunk in chunks)
    assert [job for chunk in chunks for job in pickle.loads(pickle.dumps(chunk))] == _jobs() * 200
