"""Across articles: the same quote in many outlets, who is named and quoted, copies, dates.

``analysis_record`` reduces one article (and its extraction) to a small record at index time;
``CorpusAnalysis`` stores the records of a corpus (``Library.analysis``, kept by sync) and
answers the cross-article questions:

- ``clusters_for(article_id)``: its quotes' clusters by (start, end), for "also in N articles";
  ``cluster.elsewhere(article_id)`` lists the jump targets. ``clusters()`` lists them all.
- ``people(article_ids)`` and ``quotes_by(name)``: the people view and a person's quotes, one
  entry per person of the corpus (``identities``: spellings merged, bare surnames linked);
  ``person_links(article_id)`` the links of one article's surnames, ``person_match(name)`` what
  a ``person:`` search for a full name should also find.
- ``duplicate_representatives()``, ``duplicate_group_of(id)``, ``duplicates()``: copies.
- ``timeline(article_ids, bucket)``: articles per day, week or month, undated apart.
- ``quotes(article_ids)``: every quote of a selection, for the quote sheet (``quote_sheet``).

Each clustered quote carries its ``wording`` against the earliest copy of its words (``wording``),
compared when a sync changed its cluster (``refresh_wording``, kept by ``wording_store``).
"""

from reader.core.cross_article.corpus_analysis import CorpusAnalysis
from reader.core.cross_article.identities import SurnameLink
from reader.core.cross_article.people_across import PersonMatch
from reader.core.cross_article.records import ArticleAnalysis, PersonKey, QuoteKey, analysis_record
from reader.core.cross_article.results import (
    Bucket,
    DuplicateGroup,
    DuplicateMember,
    PersonAcross,
    QuoteCluster,
    QuoteOccurrence,
    Timeline,
    TimelineBucket,
)

__all__ = [
    "ArticleAnalysis",
    "Bucket",
    "CorpusAnalysis",
    "DuplicateGroup",
    "DuplicateMember",
    "PersonAcross",
    "PersonKey",
    "PersonMatch",
    "QuoteCluster",
    "QuoteKey",
    "QuoteOccurrence",
    "SurnameLink",
    "Timeline",
    "TimelineBucket",
    "analysis_record",
]
