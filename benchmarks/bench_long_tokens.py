"""Long unbroken tokens: key latency in the app, and the core's cost as the text doubles.

    .venv/bin/python benchmarks/bench_long_tokens.py
    .venv/bin/python benchmarks/bench_long_tokens.py --baseline-src /tmp/old/src   # side by side

Issue 14 item 1: an article whose body is one 900,000-character word held the app for 30 s after
Enter (23 s in a second try, on c901cc7). The articles of ``tests/reliability/long_articles.py``
(that word, a base64 image inline, minified script, very long links, runs of one character) are
indexed, then opened in the real app headless at 140×45 and 80×24 and read with the pane's
keys. Printed per article and size:
- open: Enter to the article in the pane; key: each later key to its effect (the view moved,
  the folding toggled; ``G`` to the end once the article is laid out), worst of the keys;
- held: the longest the event loop was held by the process's own work (wall, capped by the
  process's CPU time, so other load on the machine is not counted).
Target: every key answered in < 0.5 s. ``--baseline-src`` runs the same in a child process on
another source tree (a checkout before the change), each article with a time limit.

Then the core, on each article and on pages of many quotes, names and nested quotes, at half
and full size: loading (decoding, front matter, structure), extraction, a snippet and the
wrap of the whole text, best of three runs. Linear work doubles with the text: the ratio should
read ~2 (below a few milliseconds it is noise).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from long_articles import build, long_articles  # noqa: E402

SIZES = [(140, 45), (80, 24)]
KEYS = ["f", "j", "space", "G", "k", "g", "f"]  # unfold first, so there is something to scroll


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


# -- the app ---------------------------------------------------------------------------------


async def _answered(pilot, key: str, effect) -> float:  # type: ignore[no-untyped-def]
    """Seconds from pressing ``key`` to ``effect()`` holding (polled on the event loop)."""
    began = time.perf_counter()
    press = asyncio.ensure_future(pilot.press(key))
    while not effect():
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - began
    await press
    return elapsed


def _effect(pane, key: str):  # type: ignore[no-untyped-def]
    y, folded = pane.scroll_y, pane.show_furniture
    return {
        "f": lambda: pane.show_furniture != folded,
        "j": lambda: pane.scroll_y > y or pane.max_scroll_y == y,
        "space": lambda: pane.scroll_y > y or pane.max_scroll_y == y,
        "G": lambda: getattr(pane, "laid_out", True) and pane.scroll_y == pane.max_scroll_y,
        "k": lambda: pane.scroll_y < y or y == 0,
        "g": lambda: pane.scroll_y == 0,
    }[key]


async def _run_app(folder: Path, size: tuple[int, int]) -> dict[str, dict[str, float]]:
    from loop_watch import LoopWatch

    from reader.ui.app import ReaderApp
    from reader.ui.screenshot_scenes import wait_until_idle

    results: dict[str, dict[str, float]] = {}
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=size) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]
        pane = screen.reading_pane
        for article_id in sorted(screen.summaries):
            screen.focus_pane("articles")
            screen.article_list.move_to(article_id)
            async with LoopWatch() as watch:
                opened = await _answered(
                    pilot, "enter", lambda: pane.article is not None and pane.article.id == article_id
                )
                screen.focus_pane("reader")
                keys = [await _answered(pilot, key, _effect(pane, key)) for key in KEYS]
                await wait_until_idle(pilot)
            results[article_id] = {"open": opened, "key": max(keys), "held": watch.worst, "wall": watch.worst_wall}
    return results


def _index(folder: Path) -> None:
    from reader.core.library import Library

    with Library(folder) as library:
        library.sync()


def _measure_app(folder: Path) -> dict[str, dict[str, dict[str, float]]]:
    _index(folder)
    return {f"{w}x{h}": asyncio.run(_run_app(folder, (w, h))) for w, h in SIZES}


def _baseline(src: Path, folder: Path, limit: float) -> dict[str, dict[str, dict[str, float]]] | str:
    """The same measurement on another source tree, in a child process with a time limit."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(folder)],
            env=env,
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"did not finish in {limit:.0f} s"
    if done.returncode != 0:
        return f"failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
    found: dict[str, dict[str, dict[str, float]]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _print_app(results: dict[str, dict[str, dict[str, float]]], baseline: object) -> None:
    print(f"\nKeys in the app ({_load()}); target: every key answered in < 0.5 s")
    header = f"{'article':22} {'size':7} {'open s':>7} {'key s':>7} {'held s':>7} {'wall s':>7}"
    print(header + ("   baseline open / key / held" if isinstance(baseline, dict) else ""))
    for size, articles in results.items():
        for article_id, row in articles.items():
            line = f"{article_id:22} {size:7} {row['open']:7.3f} {row['key']:7.3f} {row['held']:7.3f} {row['wall']:7.3f}"
            if isinstance(baseline, dict):
                old = baseline.get(size, {}).get(article_id)
                line += f"   {old['open']:.3f} / {old['key']:.3f} / {old['held']:.3f}" if old else "   —"
            print(line)
    if isinstance(baseline, str):
        print(f"baseline: {baseline}")
    print("issue 14 baseline (c901cc7): one 900,000-character word, Enter answered after 30 s (23 s in a second try)")


# -- the core --------------------------------------------------------------------------------


def _pages(scale: float) -> dict[str, str]:
    rng = random.Random(3)
    n = int(4000 * scale)
    given = ["John", "Mary", "Peter", "Anna", "David", "Sarah"]
    syllables = "ba ko ri tu ne sa mo li pe da".split()
    surname = lambda: "".join(rng.choice(syllables) for _ in range(3)).capitalize()  # noqa: E731
    return {
        "quotes, attributed": " ".join(f'"q{i}," he said.' for i in range(n)),
        "quotes, one sentence": " ".join(f'"q{i}"' for i in range(n)),
        "nested quotes": " ".join(f"\"a{i} 'b{i}' c{i}\"" for i in range(n)),
        "names and pronouns": " ".join(f'John Smith{i % 50} said "x{i}." He added: "y{i}."' for i in range(n)),
        "distinct people": " ".join(f'{rng.choice(given)} {surname()} said "x{i}".' for i in range(n)),
    }


def _time(call, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    """The best of ``runs``: the machine's other load only ever adds time."""
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - began)
    return best


def _core_row(name: str, texts: list[str], work: Path) -> str:
    from reader.core.extraction import extract
    from reader.core.index.highlight import snippet
    from reader.core.loader import load_article
    from reader.ui.layout_text import wrap_offsets

    figures: list[tuple[float, float, float, float]] = []
    for number, text in enumerate(texts):
        path = work / f"{number}.txt"
        path.write_text(text, encoding="utf-8")
        article = None

        def load() -> None:
            nonlocal article
            article = load_article(path, work)

        load_s = _time(load)
        body = getattr(article, "text", text)
        figures.append(
            (
                load_s,
                _time(lambda: extract(body)),
                _time(lambda: snippet(body, {"council", "said"})),
                _time(lambda: wrap_offsets(body, 100)),
            )
        )
    half, full = figures
    cells = " ".join(f"{f:7.3f} ({f / max(h, 1e-6):3.1f}×)" for h, f in zip(half, full, strict=True))
    return f"{name:22} {len(texts[1]):>9,} {cells}"


def _print_core(work: Path) -> None:
    print(f"\nThe core at full size, and (×) how much longer than at half size ({_load()})")
    print(f"{'text':22} {'chars':>9} {'load s':>14} {'extract s':>14} {'snippet s':>14} {'wrap s':>14}")
    halves, fulls = long_articles(0.5), long_articles(1.0)
    halves["one_word.txt"] = "One word\n\n" + "x" * 450_000 + "\n"
    for name in fulls:
        print(_core_row(name, [halves[name], fulls[name]], work))
    half_pages, full_pages = _pages(0.5), _pages(1.0)
    for name in full_pages:
        print(_core_row(name, ["Title\n\n" + half_pages[name], "Title\n\n" + full_pages[name]], work))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", type=Path, help="another source tree to measure side by side")
    parser.add_argument("--baseline-limit", type=float, default=900.0, help="seconds for the baseline run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:  # the baseline run: print the app figures as JSON
        print(json.dumps(_measure_app(options.child)))
        return 0
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        os.environ["READER_HOME"] = str(work_path / "home")
        folder = work_path / "articles"
        build(folder)
        baseline: object = None
        if options.baseline_src is not None:
            os.environ["READER_HOME"] = str(work_path / "baseline-home")
            baseline = _baseline(options.baseline_src.resolve(), folder, options.baseline_limit)
            os.environ["READER_HOME"] = str(work_path / "home")
        _print_app(_measure_app(folder), baseline)
        core = work_path / "core"
        core.mkdir()
        _print_core(core)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
