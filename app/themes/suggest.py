"""Suggesting themes: per value and sentiment, TF-IDF over lemmas and NMF topics (scikit-learn).

Run on demand by the working group (or `platsdialog themes suggest`), never on a resident's
request. The same comments give the same suggestions: NMF starts from NNDSVD, not at random.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from ..export.progress import advance
from ..extensions import db
from ..models import Pin
from .swedish import content_lemmas

MIN_COMMENTS = 8  # fewer comments in a value and sentiment: nothing to find
MIN_MEMBERS = 3  # a suggestion covers at least this many comments
MAX_TOPICS = 10
# Topics are added while no two are this alike (cosine of their word weights); beyond that
# NMF only splits a theme into near-copies.
MAX_TOPIC_SIMILARITY = 0.2
SAMPLE_FOR_K = 2000
KEYWORDS = 6
EXAMPLES = 3


@dataclass
class FoundTheme:
    """A topic in one value and sentiment: its key words and its comments, strongest first."""

    value: str
    sentiment: str
    keywords: list[str]
    pin_ids: list[int]

    @property
    def label(self) -> str:
        """A name to start from: the two strongest key words."""
        return ", ".join(self.keywords[:2]).capitalize()[:120]


def _most_alike(components: np.ndarray) -> float:
    norms = np.linalg.norm(components, axis=1, keepdims=True)
    unit = components / np.where(norms == 0, 1, norms)
    similarity = unit @ unit.T
    return float(similarity[np.triu_indices(len(components), 1)].max())


def _fit(matrix, k: int, iterations: int):
    """NMF from NNDSVD (deterministic); an unconverged fit is still a usable suggestion."""
    from sklearn.decomposition import NMF  # here: scikit-learn is 70 MB in every process that imports it
    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=k, init="nndsvd", max_iter=iterations, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return model, weights


def topic_count(matrix) -> int:
    """How many topics: the most for which no two topics are near-copies (on a sample)."""
    rows = matrix.shape[0]
    if rows > SAMPLE_FOR_K:
        matrix = matrix[np.random.default_rng(0).choice(rows, SAMPLE_FOR_K, replace=False)]
    limit = int(min(MAX_TOPICS, rows // MIN_MEMBERS, matrix.shape[1]))
    chosen = 0
    for k in range(2, limit + 1):
        components = _fit(matrix, k, 200)[0].components_
        if _most_alike(components) >= MAX_TOPIC_SIMILARITY:
            break
        chosen = k
    return chosen


def _topics(value: str, sentiment: str, ids: list[int], docs: list[str]) -> list[FoundTheme]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=str.split, min_df=2, max_df=0.6, sublinear_tf=True,
                                 max_features=20_000)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no word occurs twice
        return []
    terms = vectorizer.get_feature_names_out()
    topics = topic_count(matrix)
    if topics < 2:
        return []
    model, weights = _fit(matrix, topics, 400)
    strongest = weights.argmax(axis=1)
    found = []
    for topic in range(topics):
        members = np.flatnonzero((strongest == topic) & (weights[:, topic] > 0))
        if len(members) < MIN_MEMBERS:
            continue
        order = members[np.argsort(-weights[members, topic], kind="stable")]
        keywords = [str(terms[i]) for i in np.argsort(-model.components_[topic], kind="stable")[:KEYWORDS]
                    if model.components_[topic, i] > 0]
        found.append(FoundTheme(value, sentiment, keywords, [ids[i] for i in order]))
    return sorted(found, key=lambda t: -len(t.pin_ids))


def find_themes(dialogue_id: int) -> list[FoundTheme]:
    """Themes in the dialogue's comments that are not hidden, per value and sentiment."""
    groups: dict[tuple[str, str], tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
    for read, (pin_id, value, sentiment, text) in enumerate(db.session.execute(
        select(Pin.id, Pin.value, Pin.sentiment, Pin.text)
        .where(Pin.dialogue_id == dialogue_id, Pin.moderation_state != "hidden")
        .order_by(Pin.id)
    ).yield_per(5000), start=1):
        if read % 1000 == 0:
            advance(1000)  # a job's progress bar (nothing outside one)
        ids, docs = groups[(value, sentiment)]
        ids.append(pin_id)
        docs.append(" ".join(content_lemmas(text)))
    found = []
    for (value, sentiment), (ids, docs) in sorted(groups.items()):
        if len(docs) >= MIN_COMMENTS:
            found += _topics(value, sentiment, ids, docs)
    return found
