"""Two indexers at once, and an index folder others could have planted code in."""

from __future__ import annotations

import importlib.util
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_helpers import STARTUP_SECONDS, assert_terminal_safe, run_reader

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("reader.core.index") is None, reason="the index has not landed yet"
)

ARTICLES = 12


@pytest.fixture
def corpus(tmp_path: Path, seeds: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    for number in range(ARTICLES):
        (folder / f"{number:02d}.txt").write_text(texts[number % len(texts)] + f"\n\nmarker{number:02d}\n")
    return folder


def _index_json(corpus: Path, home: Path) -> dict[str, object]:
    result = run_reader("index", corpus, "--json", files=ARTICLES, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_two_indexers_at_once_both_succeed_and_index_each_file_once(corpus: Path, private_home: Path) -> None:
    command = [sys.executable, "-m", "reader", "index", str(corpus)]
    env = {"READER_HOME": str(private_home), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    for process in (first, second):
        out, err = process.communicate(timeout=STARTUP_SECONDS + 2 * ARTICLES)
        assert process.returncode == 0, err.decode(errors="replace")
        stderr = assert_terminal_safe(err)
        assert "error" not in stderr.lower() and "Traceback" not in stderr
        assert_terminal_safe(out)
    after = _index_json(corpus, private_home)
    assert (after["articles"], after["unchanged"], after["added"]) == (ARTICLES, ARTICLES, 0)


class _Planted:
    """Unpickling this writes a marker file: proof that a planted index ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "ran"))


def _plant(toc: Path, marker: Path) -> None:
    """Rewrite a Whoosh TOC file as Whoosh writes it, with the payload as its pickled schema."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

    generation = int(toc.stem.rsplit("_", 1)[1])
    stream = FileStorage(str(toc.parent)).create_file(toc.name)
    for size in (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(_CURRENT_TOC_VERSION)
    for number in (3, 0, 0):
        stream.write_varint(number)
    stream.write_string(pickle.dumps(_Planted(marker), 2))
    stream.write_int(generation)
    stream.write_int(0)
    stream.write_pickle([])
    stream.close()


def test_an_index_folder_others_can_write_is_rebuilt_not_unpickled(
    corpus: Path, private_home: Path, tmp_path: Path
) -> None:
    _index_json(corpus, private_home)
    (index_dir,) = private_home.glob("cache/corpora/*/index")
    (toc,) = index_dir.glob("_*.toc")
    marker = tmp_path / "planted-code-ran"
    _plant(toc, marker)
    # Whoosh itself, reading the planted file (in another process), runs the payload:
    reading = "from whoosh.filedb.filestore import FileStorage; from whoosh.index import TOC; "
    reading += f"TOC.read(FileStorage({str(index_dir)!r}), {toc.stem.rsplit('_', 1)[0].lstrip('_')!r})"
    subprocess.run([sys.executable, "-c", reading], capture_output=True, timeout=STARTUP_SECONDS)
    assert marker.exists(), "the planted file is not what Whoosh would unpickle"
    marker.unlink()

    index_dir.chmod(0o777)  # now anyone could have planted it
    result = run_reader("search", "marker03", "--path", corpus, "--json", files=ARTICLES, home=private_home)
    assert not marker.exists(), "the planted pickle was loaded"
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["03.txt"]
    assert "rebuilt" in assert_terminal_safe(result.stderr)
