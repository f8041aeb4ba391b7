"""Highlights and notes in the app: made with keys or the mouse, kept across restarts, re-attached
after a rename and an edit, orphaned (and still listed) when the passage is rewritten."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from reader.core.library import Library
from reader.core.models import Article
from reader.ui.annotating.confirm_remove import ConfirmRemove
from reader.ui.annotating.note_editor import NoteEditor
from reader.ui.main_screen import MainScreen
from reader.ui.reading.highlights_panel import HighlightsPanel
from tests.ui.conftest import idle, main_screen, running, until

PATIENT = "002_cad27db6ce727891.txt"  # "Kim Kardashian remaining incredibly patient …"


def list_row(screen: MainScreen, article_id: str) -> str:
    article_list = screen.article_list
    index = article_list.index_of(article_id)
    assert index is not None
    return "".join(
        article_list.render_line(index * article_list.row_height + line - round(article_list.scroll_y)).text
        for line in range(article_list.row_height)
    )


def panel_rows(screen: MainScreen) -> list[str]:
    panel = screen.query_one(HighlightsPanel)
    return [str(panel.get_option_at_index(index).prompt) for index in range(panel.option_count)]


async def open_article(pilot, screen: MainScreen, article_id: str) -> None:  # type: ignore[no-untyped-def]
    screen.focus_pane("articles")
    screen.article_list.move_to(article_id)
    await pilot.press("enter")
    await idle(pilot)
    assert screen.open_id == article_id


async def test_a_sentence_highlighted_by_keys_and_its_note_are_there_after_a_restart(own_corpus: Path) -> None:
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        pane = screen.reading_pane
        first, second = pane.marking.sentences[:2]
        await pilot.press("h")
        assert pane.has_selection and (pane.marking.selection.start, pane.marking.selection.end) == first
        await pilot.press("j", "j", "k")  # two sentences, then back to... two: k takes one off again
        assert (pane.marking.selection.start, pane.marking.selection.end) == (first[0], second[1])
        await pilot.press("enter")
        await idle(pilot)
        [placed] = screen.annotating.placed
        assert (placed.start, placed.end, placed.exact) == (first[0], second[1], True)
        await pilot.press("a")
        await idle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        await pilot.press(*"ask the agent", "enter", *"again", "escape")
        await idle(pilot)
        assert screen.annotating.placed[0].highlight.note == "ask the agent\nagain"
        assert "▌1 ✎" in list_row(screen, PATIENT)
        saved_text = screen.annotating.placed[0].highlight.text
    async with running(own_corpus) as pilot:  # a restart: the last article opens again
        screen = main_screen(pilot)
        await until(pilot, lambda: bool(screen.annotating.placed))
        assert screen.open_id == PATIENT
        [placed] = screen.annotating.placed
        assert (placed.highlight.text, placed.highlight.note, placed.exact) == (saved_text, "ask the agent\nagain", True)
        assert (placed.start, placed.end) in [(s, e) for s, e, _ in screen.reading_pane.marking.spans()]
        assert any("ask the agent" in row for row in panel_rows(screen))
        assert "▌1 ✎" in list_row(screen, PATIENT)


async def test_a_rename_with_an_edit_elsewhere_keeps_it_and_a_rewrite_orphans_it(own_corpus: Path) -> None:
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        pane = screen.reading_pane
        article = screen.open_article
        assert isinstance(article, Article)
        for _ in range(len(pane.marking.sentences)):
            if article.text[pane.marking.cursor_span[0] :].startswith("It was recently reported"):
                break
            await pilot.press("right")  # the reading cursor a sentence on
        assert article.text[pane.marking.cursor_span[0] :].startswith("It was recently reported")
        await pilot.press("h", "h")  # select, then save
        await idle(pilot)
        [placed] = screen.annotating.placed
        passage = placed.highlight.text
    text = (own_corpus / PATIENT).read_text(encoding="utf-8")
    (own_corpus / PATIENT).unlink()
    paragraphs = text.split("\n\n")
    paragraphs[-1] += " A line an editor added at the end."
    renamed = own_corpus / "kept" / "patient.txt"
    renamed.parent.mkdir()
    renamed.write_text("\n\n".join(paragraphs), encoding="utf-8")
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, "kept/patient.txt")
        [placed] = screen.annotating.placed
        article = screen.open_article
        assert isinstance(article, Article)
        assert placed.exact and article.text[placed.start : placed.end] == passage
        assert "▌1" in list_row(screen, "kept/patient.txt")
    renamed.write_text(renamed.read_text(encoding="utf-8").replace(passage, "Nothing of this sentence is left."), encoding="utf-8")
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, "kept/patient.txt")
        [placed] = screen.annotating.placed
        assert placed.orphaned and placed.highlight.text == passage
        assert screen.reading_pane.marking.spans() == []
        rows = panel_rows(screen)
        assert any("orphaned" in row and passage[:40] in row for row in rows)
        assert "▌1" in list_row(screen, "kept/patient.txt")


async def test_a_mouse_drag_selects_words_and_h_saves_them(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        pane = screen.reading_pane
        start = pane.marking.sentences[0][0]
        line = pane.line_of_offset(start)
        region = pane.content_region
        origin = (region.x - pane.region.x, region.y - pane.region.y + line - pane.top_line)
        await pilot.mouse_down(pane, offset=(origin[0] + 1, origin[1]))
        await pilot.hover(pane, offset=(origin[0] + 12, origin[1]))
        await pilot.mouse_up(pane, offset=(origin[0] + 12, origin[1]))
        selection = pane.marking.selection
        assert selection is not None
        article = screen.open_article
        assert isinstance(article, Article)
        chosen = article.text[selection.start : selection.end]
        assert chosen and not chosen[0].isspace() and article.text[selection.end].isspace() is not None
        await pilot.press("h")
        await idle(pilot)
        assert [item.highlight.text for item in screen.annotating.placed] == [chosen]


async def test_esc_drops_a_selection_then_goes_back_to_the_list(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        await pilot.press("h")
        assert screen.reading_pane.has_selection
        await pilot.press("escape")
        assert not screen.reading_pane.has_selection and screen.focused is screen.reading_pane
        await pilot.press("escape")
        assert screen.focused is screen.article_list
        assert Library(corpus).annotations_of(PATIENT).highlights == ()


async def test_the_panel_jumps_to_a_highlight_and_removes_it_asking_first_if_it_has_a_note(corpus: Path) -> None:
    library = Library(corpus)
    article = library.article(PATIENT)
    assert isinstance(article, Article)
    late = article.text.rindex("She just wants")
    library.add_highlight(PATIENT, late, late + 40, note="why now?")
    early = article.text.index("famous couple")
    library.add_highlight(PATIENT, early, early + 13)
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        await pilot.press("H")
        panel = screen.query_one(HighlightsPanel)
        assert screen.focused is panel and panel.highlight_index() == 0
        await pilot.press("j", "enter")  # the second highlight, far down the text
        pane = screen.reading_pane
        assert pane.flash_span == (late, late + 40)
        assert pane.top_line <= pane.line_of_offset(late) < pane.top_line + pane.view_height
        await pilot.press("x")
        await idle(pilot)
        assert isinstance(pilot.app.screen, ConfirmRemove)
        await pilot.press("n")
        await idle(pilot)
        assert len(screen.annotating.placed) == 2
        await pilot.press("x", "y")
        await idle(pilot)
        await pilot.press("x")  # the cursor is on the other one now; no note: removed without asking
        await idle(pilot)
        assert screen.annotating.placed == []
        assert Library(corpus).annotations_of(PATIENT).highlights == ()
        assert "▌" not in list_row(screen, PATIENT)


async def test_a_note_on_an_article_from_the_list_is_found_by_a_note_search(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        screen.article_list.move_to(PATIENT)
        await pilot.press("a")
        await idle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == ""
        await pilot.press(*"follow up on the tour", "ctrl+s")
        await idle(pilot)
        assert "✎" in list_row(screen, PATIENT)
        await pilot.press("slash", *"note:tour", "enter")
        await idle(pilot)
        assert screen.article_list.article_ids == [PATIENT]
        await pilot.press("escape", "escape")
        await idle(pilot)
        screen.focus_pane("articles")
        screen.article_list.move_to(PATIENT)
        await pilot.press("a")
        await idle(pilot)
        assert pilot.app.screen.query_one(TextArea).text == "follow up on the tour"


async def test_the_keys_are_on_the_help_screen_and_in_the_palette(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        sections = dict(pilot.app.help_sections())
        ids = {binding.id for bindings in sections.values() for binding in bindings if hasattr(binding, "id")}
        assert {"pane.highlight", "pane.grow", "pane.extend_down", "pane.confirm", "note", "highlights",
                "highlights.remove", "note.save"} <= ids
        from reader.ui.palette import ReaderCommands

        names = [name for name, _, _ in ReaderCommands._actions(None, screen)]  # type: ignore[arg-type]
        assert {"Show highlights", "Highlight the sentence", "Note…", "Remove highlight", "Articles with notes"} <= set(names)


async def test_the_palette_removes_the_highlight_under_the_reading_cursor(corpus: Path) -> None:
    library = Library(corpus)
    article = library.article(PATIENT)
    assert isinstance(article, Article)
    start = article.text.index("The famous couple")
    library.add_highlight(PATIENT, start, start + 30)
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await open_article(pilot, screen, PATIENT)
        await until(pilot, lambda: len(screen.annotating.placed) == 1)
        await pilot.press("right")  # the reading cursor on the second sentence: the highlighted one
        assert screen.reading_pane.highlight_at_cursor() == 0
        await pilot.press("ctrl+p", *"remove highlight")
        await idle(pilot)
        await pilot.press("enter")
        await idle(pilot)
        assert screen.annotating.placed == []
        assert Library(corpus).annotations_of(PATIENT).highlights == ()
