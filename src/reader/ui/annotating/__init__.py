"""Highlights and notes: making them from the reading pane, editing notes, keeping the list in step."""
