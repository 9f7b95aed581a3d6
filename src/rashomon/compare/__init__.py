"""Stage 5, compare: a story's articles -> ``Comparison`` (facts, omissions, conflicts, framing,
sources, timeline). See ``comparison.py`` for the order of the parts and DESIGN.md for the JSON."""
from rashomon.compare.comparison import Comparison, StoryComparison, compare_story
from rashomon.compare.vectors import StatementVectors

__all__ = ["Comparison", "StoryComparison", "compare_story", "StatementVectors"]
