"""Tags: the editor (add, remove, autocomplete, bad tags), the tag filter, and bulk tagging."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, OptionList

from reader.core.library import Library
from reader.ui.tagging.tag_editor import TagEditor
from reader.ui.tagging.tag_picker import TagPicker
from tests.ui.conftest import idle, main_screen, running


async def test_t_adds_and_removes_tags_through_the_tag_store(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        article_id = screen.open_id
        assert article_id is not None
        await pilot.press("t")
        await idle(pilot)
        assert isinstance(pilot.app.screen, TagEditor)
        await pilot.press(*"urgent", "enter", *"to read", "enter", "escape")
        await idle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)
        assert set(Library(corpus).tags_of(article_id)) == {"urgent", "to read"}
        assert set(screen.summaries[article_id].tags) == {"urgent", "to read"}
        assert set(screen.reading_pane.user_tags) == {"urgent", "to read"}
        row = screen.article_list.render_line(screen.article_list.cursor * screen.article_list.row_height + 1)
        assert "#urgent" in row.text

        await pilot.press("t")
        await idle(pilot)
        await pilot.press("tab")  # no other tags to suggest: straight to the current ones
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        assert editor.focused is editor.query_one("#tag-current", OptionList)
        await pilot.press("delete", "escape")
        await idle(pilot)
        assert len(Library(corpus).tags_of(article_id)) == 1


async def test_the_editor_suggests_known_tags_with_counts_and_rejects_bad_ones(corpus: Path) -> None:
    async with running(corpus) as pilot:
        others = [i for i in main_screen(pilot).article_list.article_ids[1:]]
        Library(corpus).add_tags(others[:3], ["politics"])
        await pilot.press("t")
        await idle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press(*"pol")
        suggestions = editor.query_one("#tag-suggestions", OptionList)
        assert suggestions.option_count == 1
        assert "politics" in str(suggestions.get_option_at_index(0).prompt)
        assert "3" in str(suggestions.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        assert [tag.casefold() for tag in editor.current] == ["politics"]
        editor.query_one("#tag-input", Input).value = "bad\u200etag"
        await pilot.press("enter")
        error = editor.query_one("#tag-error", Label)
        assert error.display
        assert "invisible" in str(error.render())
        assert len(editor.current) == 1


async def test_capital_t_filters_the_list_by_a_chosen_tag(corpus: Path) -> None:
    library = Library(corpus)
    ids = sorted(summary.id for summary in library.summaries())
    library.add_tags(ids[:2], ["celebrity"])
    library.add_tags(ids[2:3], ["politics"])
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("T")
        await idle(pilot)
        assert isinstance(pilot.app.screen, TagPicker)
        await pilot.press(*"celeb", "enter")
        await idle(pilot)
        assert screen.search_bar.value == 'tag:"celebrity"'
        assert sorted(screen.article_list.article_ids) == ids[:2]


async def test_ctrl_t_tags_every_article_of_the_search(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce", "enter")
        await idle(pilot)
        hits = set(screen.article_list.article_ids)
        assert len(hits) == 3
        await pilot.press("ctrl+t")
        await idle(pilot)
        assert isinstance(pilot.app.screen, TagEditor)
        await pilot.press(*"split", "enter", "escape")
        await idle(pilot)
        library = Library(corpus)
        tagged = {summary.id for summary in library.summaries() if "split" in summary.tags}
        assert tagged == hits
        assert all("split" in screen.summaries[article_id].tags for article_id in hits)
