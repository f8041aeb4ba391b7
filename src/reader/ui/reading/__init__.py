"""Reading an article: the text with its quotes and matches marked, its quotes and its people."""
