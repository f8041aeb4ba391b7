"""Handing an article to other programs: the editor, the pager, the clipboard and the browser."""
