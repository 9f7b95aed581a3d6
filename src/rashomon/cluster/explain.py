"""Why an article is in its story, in words: the reasons kept by the online clusterer, rendered.

A decision's reasons (``online.py``) hold the story score and threshold, the best-matching
articles with their pair scores (embedding cosine, distinctive words, entities, MinHash overlap,
days apart) and what they share, and the runner-up story. This module only formats them.
"""
from __future__ import annotations


def describe_pair(pair: dict) -> str:
    """One line about one matching article: the pair's probability and the signals behind it."""
    bits = [f"p={pair.get('p', 0):.2f}", f"meaning {pair.get('cos', 0):.2f}", f"words {pair.get('term', 0):.2f}",
            f"entities {pair.get('ent', 0):.2f}"]
    if pair.get("jac", 0) >= 0.2:
        bits.append(f"near-duplicate text {pair['jac']:.2f}")
    days = pair.get("days")
    bits.append("dates unknown" if days is None else "same day" if days == 0 else f"{days} day(s) apart")
    line = f"{pair.get('article', '?')}: " + ", ".join(bits)
    if pair.get("entities"):
        line += "; shared entities: " + ", ".join(pair["entities"])
    if pair.get("terms"):
        line += "; shared words: " + ", ".join(pair["terms"][:6])
    return line


def describe(reasons: dict) -> list[str]:
    """Lines explaining one assignment (empty for an article placed without reasons)."""
    if not reasons:
        return []
    decision = reasons.get("decision")
    threshold = reasons.get("threshold")
    if decision == "join":
        lines = [f"joined: story score {reasons.get('score', 0):.2f} >= {threshold:.2f}"]
    elif "score" in reasons:
        lines = [f"started the story: best other story {reasons.get('nearest_story')} scored only "
                 f"{reasons['score']:.2f} < {threshold:.2f}"]
    else:
        lines = [f"started the story: {reasons.get('why', 'no similar article')}"]
    for pair in reasons.get("pairs", []):
        lines.append("  " + describe_pair(pair))
    runner = reasons.get("runner_up")
    if runner:
        lines.append(f"  runner-up: story {runner['story']} scored {runner['score']:.2f}")
    return lines


def format_story(story: dict, articles: list[dict]) -> str:
    """A story for the terminal: its title, dates and outlets, then each article with why it is there."""
    title = story.get("title") or "(untitled story)"
    lines = [title, "=" * min(78, len(title)), f"story: {story['id']}",
             f"articles: {story.get('articles', len(articles))}"]
    if story.get("first_published"):
        lines.append(f"published: {story['first_published']} .. {story.get('last_published')}")
    if story.get("outlets"):
        lines.append("outlets: " + ", ".join(story["outlets"]))
    for a in articles:
        outlet = a.get("outlet") or "-"
        if a.get("also_published_by"):
            outlet += " (also " + ", ".join(a["also_published_by"]) + ")"
        lines += ["", f"* {a['id']}  {(a.get('published') or '')[:10]}  {outlet}", f"  {a.get('title') or ''}"]
        lines += ["  " + line for line in describe(a.get("reasons") or {})]
    return "\n".join(lines) + "\n"
