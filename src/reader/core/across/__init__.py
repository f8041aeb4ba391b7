"""Across articles: the same quote in many outlets, who is named and quoted, copies, dates.

``analysis_record`` reduces one article (and its extraction) to a small record at index time;
``CorpusAnalysis`` stores the records of a corpus and answers the cross-article questions.
"""

from reader.core.across.records import ArticleAnalysis, PersonKey, QuoteKey, analysis_record
from reader.core.across.results import (
    Bucket,
    DuplicateGroup,
    DuplicateMember,
    PersonAcross,
    QuoteCluster,
    QuoteOccurrence,
    Timeline,
    TimelineBucket,
)
from reader.core.across.store import CorpusAnalysis, analysis_db_path

__all__ = [
    "ArticleAnalysis",
    "Bucket",
    "CorpusAnalysis",
    "DuplicateGroup",
    "DuplicateMember",
    "PersonAcross",
    "PersonKey",
    "QuoteCluster",
    "QuoteKey",
    "QuoteOccurrence",
    "Timeline",
    "TimelineBucket",
    "analysis_db_path",
    "analysis_record",
]
