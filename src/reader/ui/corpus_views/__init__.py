"""Views across the whole corpus (or the current search): people, timeline, the other articles
that carry a quote, near-duplicate copies, and the quote sheet export."""
