"""The wheel carries the five seed articles, so ``reader`` with no argument works once installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("reader_tui-*.whl")
    return built


def test_the_wheel_holds_the_seeds_byte_for_byte(wheel: Path, seeds: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packed = {
            Path(name).name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("reader/seeds/") and name.endswith(".txt")
        }
    assert packed == {path.name: path.read_bytes() for path in seeds.glob("*.txt")}
    assert len(packed) == 5


def test_an_installed_wheel_opens_its_bundled_seeds(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # far from the source checkout
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert result.returncode == 0, result.stderr
    paths = [Path(json.loads(line)["path"]) for line in result.stdout.splitlines()]
    assert len(paths) == 5
    assert all(path.is_relative_to(target / "reader" / "seeds") for path in paths)
