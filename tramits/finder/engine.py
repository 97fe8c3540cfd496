"""Ranking procedures for a citizen's words: BM25 over the guides, synonyms, typos, three languages.

The index is built in memory from the published guides, the finder's answers and the
synonyms, once per process and again whenever any of them changes (a fingerprint read on each
search). Each procedure's document holds its guide in the requested language at full weight
and the other languages at a lower weight, so a question in Spanish on the Catalan site still
finds its procedure. The same code runs on SQLite and PostgreSQL.
"""

import functools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max

from tramits.catalogue.procedures import BY_CODE, PROCEDURES
from tramits.finder.text import TypoIndex, bigrams, content_words, stem, stems

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHER_LANGUAGE_WEIGHT = 0.4
FIELD_WEIGHTS = {
    "title": 3.0,
    "keywords": 3.0,
    "answers": 2.0,
    "summary": 1.5,
    "intro": 1.0,
    "explanations": 1.0,
    "path": 0.6,
    "who_can_apply": 0.5,
    "requirements": 0.4,
    "documents": 0.3,
}
K1, B = 1.2, 0.5
EXACT, SYNONYM, BIGRAM = 1.0, 0.8, 0.3
TYPO = {1: 0.75, 2: 0.55}
PREFIX = 0.6
MIN_PREFIX = 5
CONFIDENCE_HALF = 6.0
MIN_RELATIVE = 0.2
# Guides editors feature on the home page are the ones most asked for: they win near ties.
FEATURED_PRIOR = 1.15


@dataclass
class Document:
    """One procedure as seen from one language."""

    code: str
    title: str
    summary: str
    url: str
    prior: float = 1.0
    terms: Counter = field(default_factory=Counter)
    length: float = 0.0


@dataclass
class Hit:
    code: str
    title: str
    summary: str
    url: str
    raw: float
    score: float
    matched: list[str]


@dataclass
class SynonymRule:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    expansion_stems: list[str]
    language: str


class LanguageIndex:
    """BM25 statistics for the documents of one language."""

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.average = sum(doc.length for doc in documents) / max(len(documents), 1)
        frequency: Counter = Counter()
        for doc in documents:
            frequency.update(doc.terms.keys())
        total = len(documents)
        self.idf = {term: math.log(1 + (total - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, doc in enumerate(documents):
            norm = K1 * (1 - B + B * doc.length / (self.average or 1))
            for term, tf in doc.terms.items():
                self.postings[term].append((position, tf * (K1 + 1) / (tf + norm)))


class Engine:
    """Everything the search needs, built from the database in one go."""

    def __init__(self, *, sources: dict[str, dict[str, dict[str, str]]], synonyms: list[SynonymRule]):
        self.synonyms = synonyms
        self.indexes: dict[str, LanguageIndex] = {}
        surface: set[str] = set()
        for language in LANGUAGES:
            documents = []
            for procedure in PROCEDURES:
                texts = sources.get(procedure.code, {})
                own = texts.get(language, {})
                doc = Document(
                    code=procedure.code,
                    title=own.get("title") or procedure.title(language),
                    summary=own.get("summary", ""),
                    url=own.get("url", ""),
                    prior=FEATURED_PRIOR if own.get("featured") else 1.0,
                )
                for other, fields in texts.items():
                    weight = 1.0 if other == language else OTHER_LANGUAGE_WEIGHT
                    for name, text in fields.items():
                        if name in FIELD_WEIGHTS:
                            _add_text(doc, text, FIELD_WEIGHTS[name] * weight)
                _add_text(doc, procedure.code.replace("-", " "), FIELD_WEIGHTS["title"])
                if not own.get("title"):
                    _add_text(doc, procedure.title(language), FIELD_WEIGHTS["title"])
                documents.append(doc)
            self.indexes[language] = LanguageIndex(documents)
        for texts in sources.values():
            for fields in texts.values():
                for name, text in fields.items():
                    if name in FIELD_WEIGHTS:
                        surface.update(content_words(text))
        for rule in synonyms:
            surface.update(rule.words)
        self.stem_vocabulary = {term for index in self.indexes.values() for term in index.idf if "_" not in term}
        self.surface = {word for word in surface if not word.isdigit()}
        self.typos = TypoIndex(self.surface)
        self.prefixes = sorted(term for term in self.stem_vocabulary if len(term) >= MIN_PREFIX)

    def query_terms(self, query: str, *, language: str) -> dict[str, tuple[float, str]]:
        """The weighted index terms for a query, each with the citizen's word it came from."""
        terms: dict[str, tuple[float, str]] = {}

        def add(term: str, weight: float, origin: str) -> None:
            if weight > terms.get(term, (0.0, ""))[0]:
                terms[term] = (weight, origin)

        found: list[str] = []
        typed: list[str] = []
        for word in content_words(query)[:40]:
            word_stem = stem(word)
            typed.append(word)
            if word in self.surface:
                add(word_stem, EXACT, word)
                found.append(word_stem)
                continue
            # An unknown form is a variant of a known word, a typo, or both.
            corrections = self.typos.corrections(word)
            known_stem = word_stem in self.stem_vocabulary
            if known_stem:
                add(word_stem, EXACT, word)
            for candidate, distance in corrections[:4]:
                add(stem(candidate), TYPO[distance], word)
            if known_stem or corrections:
                found.append(word_stem if known_stem else stem(corrections[0][0]))
                continue
            for term in self._prefixed(word_stem):
                add(term, PREFIX, word)
            found.append(word_stem)
        for position, term in enumerate(bigrams(found)):
            add(term, BIGRAM, f"{typed[position]} {typed[position + 1]}")
        for rule in self.synonyms:
            if rule.language and rule.language != language:
                continue
            start = _find(found, rule.stems)
            if start is not None:
                origin = " ".join(typed[start : start + len(rule.stems)])
                # A rule with many equivalents spreads its weight, so it cannot outvote the citizen's words.
                weight = min(SYNONYM, SYNONYM / math.sqrt(max(1, len(rule.expansion_stems) / 2)))
                for term in rule.expansion_stems:
                    add(term, weight, origin)
        return terms

    def _prefixed(self, word_stem: str) -> Iterable[str]:
        if len(word_stem) < MIN_PREFIX:
            return []
        return [term for term in self.prefixes if term.startswith(word_stem) or word_stem.startswith(term)][:6]

    def search(self, query: str, *, language: str, limit: int = 10) -> list[Hit]:
        index = self.indexes.get(language) or self.indexes[LANGUAGES[0]]
        terms = self.query_terms(query, language=language)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, dict[str, float]] = defaultdict(dict)
        for term, (weight, origin) in terms.items():
            idf = index.idf.get(term)
            if idf is None:
                continue
            for position, saturation in index.postings[term]:
                contribution = weight * idf * saturation
                scores[position] += contribution
                matched[position][origin] = matched[position].get(origin, 0.0) + contribution
        if not scores:
            return []
        for position in scores:
            scores[position] *= index.documents[position].prior
        ranked = sorted(scores.items(), key=lambda item: (-item[1], index.documents[item[0]].code))
        top = ranked[0][1]
        confidence = top / (top + CONFIDENCE_HALF)
        hits = []
        for position, raw in ranked[:limit]:
            if raw < top * MIN_RELATIVE:
                break
            doc = index.documents[position]
            origins = sorted(matched[position].items(), key=lambda item: -item[1])
            hits.append(
                Hit(
                    code=doc.code,
                    title=doc.title,
                    summary=doc.summary,
                    url=doc.url,
                    raw=raw,
                    score=round(confidence * raw / top, 2),
                    matched=[origin for origin, _value in origins[:3]],
                )
            )
        return hits


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[str, ...], ...]:
    """The stems of each sentence or clause of a text (bigrams never cross a comma)."""
    return tuple(tuple(stems(sentence)) for sentence in re.split(r"[.;,:!?\n()]+", text))


def _add_text(doc: Document, text: str, weight: float) -> None:
    if not text or weight <= 0:
        return
    for items in _sentences(text):
        for term in items:
            doc.terms[term] += weight
        for term in bigrams(items):
            doc.terms[term] += weight * 0.5
        doc.length += weight * len(items)


def _find(sequence: list[str], part: tuple[str, ...]) -> int | None:
    """Where `part` starts in `sequence`, if it occurs there."""
    size = len(part)
    for start in range(len(sequence) - size + 1):
        if size and tuple(sequence[start : start + size]) == part:
            return start
    return None


def synonym_rules(rows: Iterable[tuple[str, str, str]]) -> list[SynonymRule]:
    """Synonym rows (term, comma-separated expansions, language) as stem rules."""
    rules = []
    for term, expansions, language in rows:
        term_words = tuple(content_words(term))
        term_stems = tuple(stem(word) for word in term_words)
        expansion_stems: list[str] = []
        for phrase in expansions.split(","):
            phrase_stems = stems(phrase)
            expansion_stems.extend(phrase_stems)
            expansion_stems.extend(bigrams(phrase_stems))
        if term_stems and expansion_stems:
            rules.append(
                SynonymRule(words=term_words, stems=term_stems, expansion_stems=expansion_stems, language=language)
            )
    return rules


# Building from the database -------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, object] = {}


def engine_fingerprint() -> tuple:
    """Changes whenever a guide is published or unpublished, or synonyms or answers change."""
    from content.models import TramitPage
    from tramits.finder.models import Answer, Question, Synonym

    return (
        tuple(TramitPage.objects.live().aggregate(n=Count("pk"), last=Max("last_published_at")).values()),
        tuple(Synonym.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values()),
        tuple(Question.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values()),
        Answer.objects.count(),
    )


def engine_sources() -> dict[str, dict[str, dict[str, str]]]:
    """For each code and language, the texts to index, by field name."""
    from content.models import TramitPage
    from tramits.finder.tree import tree_load, tree_paths

    sources: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    pages = TramitPage.objects.live().public().select_related("locale").order_by("path")
    for page in pages:
        if page.code not in BY_CODE:
            continue
        sources[page.code][page.locale.language_code] = {
            "title": page.title,
            "keywords": page.search_description,
            "summary": page.summary,
            "intro": page.intro,
            "who_can_apply": page.who_can_apply,
            "requirements": page.requirements,
            "documents": page.documents,
            "url": page.url or f"/tramit/{page.code}",
            "featured": "1" if page.featured else "",
        }
    tree = tree_load()
    for code, paths in tree_paths(tree).items():
        if code not in BY_CODE:
            continue
        for language in LANGUAGES:
            direct = {getattr(path[-1], f"label_{language}") for path in paths}
            explanations = {getattr(path[-1], f"explanation_{language}") for path in paths}
            ancestors = {getattr(answer, f"label_{language}") for path in paths for answer in path[:-1]}
            fields = sources[code].setdefault(language, {})
            fields["answers"] = "\n".join(sorted(filter(None, direct)))
            fields["explanations"] = "\n".join(sorted(filter(None, explanations)))
            fields["path"] = "\n".join(sorted(filter(None, ancestors - direct)))
    return sources


def engine_get() -> Engine:
    """The engine for the current content, rebuilt when the content changed."""
    from tramits.finder.models import Synonym

    fingerprint = engine_fingerprint()
    engine = _cache.get("engine")
    if engine is not None and _cache.get("fingerprint") == fingerprint:
        return engine  # type: ignore[return-value]
    with _lock:
        rows = Synonym.objects.values_list("term", "expansions", "language")
        engine = Engine(sources=engine_sources(), synonyms=synonym_rules(rows))
        _cache.update(engine=engine, fingerprint=fingerprint)
    return engine
