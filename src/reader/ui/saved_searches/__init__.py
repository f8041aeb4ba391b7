"""Saved searches: save the query in the bar under a name (ctrl+s), list them with their counts
and what is new since each was last opened (S), and open one to run it."""
