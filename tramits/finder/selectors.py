"""Reads of the finder: procedure search, the assistant's reply, the tree's state."""

from dataclasses import dataclass

from tramits.finder.engine import Hit, engine_get
from tramits.finder.tree import Clarification, tree_clarification, tree_load

MAX_QUERY_LENGTH = 300
MAX_RESULTS = 10
# The assistant asks a question when the second result scores at least this share of the first.
CLOSE_RATIO = 0.6
ASSISTANT_RESULTS = 3


def query_clean(text: str) -> str:
    """The query as the engine takes it: no control characters, trimmed to a sane length."""
    cleaned = "".join(char if char.isprintable() else " " for char in text or "")
    return " ".join(cleaned.split())[:MAX_QUERY_LENGTH]


def procedure_search(*, query: str, language: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """The procedures that best match a citizen's words, best first."""
    query = query_clean(query)
    if not query:
        return []
    return engine_get().search(query, language=language, limit=min(limit, MAX_RESULTS))


@dataclass
class AssistantReply:
    hits: list[Hit]
    clarification: Clarification | None = None


def assistant_reply(*, question: str, language: str) -> AssistantReply:
    """The best procedures for a question, and one clarifying question when the top two are close."""
    hits = procedure_search(query=question, language=language, limit=ASSISTANT_RESULTS)
    reply = AssistantReply(hits=hits)
    if len(hits) >= 2 and hits[1].raw >= hits[0].raw * CLOSE_RATIO:
        reply.clarification = tree_clarification(tree_load(), first=hits[0].code, second=hits[1].code)
    return reply
