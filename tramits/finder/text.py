"""Text normalisation for search in Catalan, Spanish and English: accents, case, stems, typos.

Pure Python and deliberately light: the corpus is a few dozen guides, so a small suffix
stripper shared by the three languages beats a full stemmer per language, and a deletion
index gives typo tolerance without any extension in the database.
"""

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9]+")
# Catalan elisions and pronouns after a hyphen or apostrophe: d'un, l'alta, empadronar-me.
_JOINERS = re.compile(r"[\u2019'`\u00b4\-·\.]")


def _wordlist(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _wordlist("""
    a al als amb an and ante are as at aquest aquesta aquests aquell aquella be been by
    ca cada can com como con contra cual d da de del dels des desde do does did e el ell ella ellos els
    em en ens entre era es esta este esto estoy et etc for fer from fa ha han has have he hem hi his i
    in is it its jo la las le les li lo los m ma me meu meva meus meves mes mi mis mon my n na ne ni nos
    nosaltres o of on or os para pel per pero perque pels por que qu s se sa seu seva si sin sobre soc
    sus t te ti the this to tu tus u un una uno unos unes uns us vos what where which who with y ya yo
    you your im am how need want would like could should get please vull voldria necessito necesito
    quiero quisiera puedo puc hacer tengo tinc hay tener cal hace algo alguna algun cosa
    acabo acaba acabem acabat acabada acabamos acabado acabada just
    """)
)
# The city's own name says nothing about which procedure is meant.
SITE_WORDS = frozenset({"lleida", "paeria"})
# Words that the shared stemmer would merge with a different concept.
_STEM_EXCEPTIONS = {"padre": "pare", "padres": "pare", "madre": "mare", "madres": "mare"}
# Spanish and Catalan speakers mix up b and v; typo matching treats them as one letter.
_SOUNDS = str.maketrans({"v": "b"})

# Longest first; a stem keeps at least four letters.
_SUFFIXES = sorted(
    _wordlist("""
    aments ament amientos amiento imientos imiento acions acio aciones acion icions icio iciones icion
    cions cion cio ments ment mente ancies ancia ancias ances ance anca anza ances ades ados adas ada
    ado ats at ides idos idas ida ido its it ant ent ando iendo ings ing ers er ar ir arme arse arte
    erme erse irme irse ations ation ions ion ness ated ates ate ies ied ed ly es os as s a e i o u on
    """),
    key=len,
    reverse=True,
)
_MIN_STEM = 4


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise(text: str) -> str:
    """Lower case, no accents, no markup, Catalan ela geminada as `ll`."""
    text = _TAGS.sub(" ", text or "")
    text = strip_accents(text.casefold()).replace("l·l", "ll").replace("l.l", "ll")
    return _JOINERS.sub(" ", text)


def words(text: str) -> list[str]:
    """The words of a text after normalisation, stopwords included."""
    return _WORD.findall(normalise(text))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem shared by ca/es/en: two rounds of suffix stripping, never below four letters."""
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if word.startswith("domicilia"):
        return "domiciliac"  # direct debit (domiciliació), not address (domicili)
    for _round in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def content_words(text: str) -> list[str]:
    return [
        word
        for word in words(text)
        if word not in STOPWORDS and word not in SITE_WORDS and (len(word) > 1 or word.isdigit())
    ]


def stems(text: str) -> list[str]:
    """The stems of the content words of a text, in order."""
    return [stem(word) for word in content_words(text)]


def bigrams(items: Iterable[str]) -> list[str]:
    return [f"{first}_{second}" for first, second in itertools.pairwise(items)]


def edit_distance(first: str, second: str, *, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, cut short above `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            cost = 0 if char == other else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletions(word: str, *, depth: int) -> set[str]:
    """Every string made by deleting up to `depth` letters from `word`."""
    result = {word}
    frontier = {word}
    for _level in range(depth):
        frontier = {item[:i] + item[i + 1 :] for item in frontier for i in range(len(item))}
        result |= frontier
    return result


def typo_depth(word: str) -> int:
    """How many typos a word of this length may carry: none when short, two when long."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


class TypoIndex:
    """Finds the known words within one or two typos of an unknown one (a deletion index)."""

    def __init__(self, vocabulary: Iterable[str]):
        self.vocabulary = set(vocabulary)
        self._deletes: dict[str, set[str]] = {}
        for word in self.vocabulary:
            for variant in deletions(word.translate(_SOUNDS), depth=typo_depth(word)):
                self._deletes.setdefault(variant, set()).add(word)

    def corrections(self, word: str) -> list[tuple[str, int]]:
        """The known words nearest to `word` (all those at the best distance), with that distance."""
        depth = typo_depth(word)
        if not depth:
            return []
        candidates: set[str] = set()
        sound = word.translate(_SOUNDS)
        for variant in deletions(sound, depth=depth):
            candidates |= self._deletes.get(variant, set())
        found = []
        for candidate in candidates:
            if candidate == word:
                continue
            allowed = min(depth, typo_depth(candidate))
            distance = edit_distance(sound, candidate.translate(_SOUNDS), limit=allowed)
            if distance <= allowed:
                # A b/v swap counts as half a typo: nearer than any other single mistake.
                found.append((candidate, max(distance, 1), distance + 0.5 * (distance == 0)))
        found.sort(key=lambda item: (item[2], item[0]))
        return [(candidate, distance) for candidate, distance, _rank in found if _rank == found[0][2]]
