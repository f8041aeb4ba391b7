"""How a build splits its files into chunks (one segment each) between the workers."""

from __future__ import annotations

import pytest

from reader.core.pipeline import build


@pytest.mark.parametrize("files", [1_200, 10_000, 100_000])
def test_chunks_cover_every_file_once_in_order(files: int) -> None:
    chunks = build.chunked(list(range(files)), 2)
    assert [job for chunk in chunks for job in chunk] == list(range(files))
    assert max(map(len, chunks)) <= build.MAX_CHUNK


def test_a_large_build_ends_with_a_small_round_for_every_worker() -> None:
    """The workers build the last round while the main process commits the large chunks."""
    sizes = [len(chunk) for chunk in build.chunked(list(range(10_000)), 2)]
    assert sizes[:2] == [build.FIRST_CHUNK] * 2
    assert sizes[-2] == sizes[-1] < min(sizes[2:-2]) // 8
    assert sizes[-1] >= build.FIRST_CHUNK


def test_a_small_build_has_no_last_round_and_one_process_none_at_all() -> None:
    assert [len(chunk) for chunk in build.chunked(list(range(1_200)), 2)] == [250, 250, 350, 350]
    assert [len(chunk) for chunk in build.chunked(list(range(10_000)), 1)] == [250, 9_750]
