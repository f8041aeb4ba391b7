"""The version of the extraction rules, apart from the rules themselves.

Every sync compares it with the index's stamp; importing the rules (lexicons, patterns) costs
more than a re-open of an unchanged folder may spend, so the number lives here.
"""

EXTRACTION_VERSION = 3
"""Bump when the rules change what is found: every index is then built again from the files, so
search, the People view and the quote sheet never mix results of old and new rules."""
