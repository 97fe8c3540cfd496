"""The finder's question tree in memory: walking a path of answers, checking it, drawing it."""

from dataclasses import dataclass, field

from tramits.catalogue.procedures import BY_CODE
from tramits.finder.models import Answer, Question


@dataclass
class Tree:
    questions: dict[int, Question]
    answers: dict[int, list[Answer]]
    start: Question | None

    def question_by_key(self, key: str) -> Question | None:
        return next((question for question in self.questions.values() if question.key == key), None)

    def answer(self, question: Question, key: str) -> Answer | None:
        return next((answer for answer in self.answers[question.pk] if answer.key == key), None)

    def children(self, question: Question) -> list[Question]:
        return [
            self.questions[answer.next_question_id]
            for answer in self.answers[question.pk]
            if answer.next_question_id in self.questions
        ]


def tree_load() -> Tree:
    """The whole tree in two queries."""
    questions = {question.pk: question for question in Question.objects.all()}
    answers: dict[int, list[Answer]] = {pk: [] for pk in questions}
    for answer in Answer.objects.order_by("question_id", "sort_order", "pk"):
        answers.setdefault(answer.question_id, []).append(answer)
    start = next((question for question in questions.values() if question.is_start), None)
    return Tree(questions=questions, answers=answers, start=start)


@dataclass
class Step:
    question: Question
    answer: Answer


@dataclass
class Walk:
    """Where a list of answer keys leads: the steps taken, then a question or an outcome."""

    steps: list[Step]
    question: Question | None = None
    outcome: Answer | None = None
    invalid: bool = False


def tree_walk(tree: Tree, *, keys: list[str]) -> Walk:
    """Follow the answer keys from the start; stop at the first key that does not fit."""
    walk = Walk(steps=[])
    question = tree.start
    seen: set[int] = set()
    for key in keys:
        if question is None or question.pk in seen:
            walk.invalid = True
            return walk
        seen.add(question.pk)
        answer = tree.answer(question, key)
        if answer is None:
            walk.question, walk.invalid = question, True
            return walk
        walk.steps.append(Step(question=question, answer=answer))
        if answer.code_list:
            if len(walk.steps) < len(keys):
                walk.invalid = True
            walk.outcome = answer
            return walk
        question = tree.questions.get(answer.next_question_id)
    walk.question = question
    walk.invalid = walk.invalid or question is None
    return walk


@dataclass
class TreeReport:
    """What the admin check lists; an empty report means every path ends in a procedure."""

    missing_start: bool = False
    unreachable: list[Question] = field(default_factory=list)
    dead_ends: list[Answer] = field(default_factory=list)
    empty_questions: list[Question] = field(default_factory=list)
    loops: list[list[Question]] = field(default_factory=list)
    unknown_codes: list[tuple[Answer, str]] = field(default_factory=list)
    uncovered_codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing_start
            or self.unreachable
            or self.dead_ends
            or self.empty_questions
            or self.loops
            or self.unknown_codes
        )


def tree_check(tree: Tree) -> TreeReport:
    """Unreachable questions, dead ends, loops, unknown codes and procedures no path reaches."""
    report = TreeReport(missing_start=tree.start is None)
    reachable: set[int] = set()
    if tree.start is not None:
        pending = [tree.start.pk]
        while pending:
            pk = pending.pop()
            if pk in reachable:
                continue
            reachable.add(pk)
            pending.extend(child.pk for child in tree.children(tree.questions[pk]))
    report.unreachable = [q for q in tree.questions.values() if q.pk not in reachable]
    covered: set[str] = set()
    for question in tree.questions.values():
        if not tree.answers[question.pk]:
            report.empty_questions.append(question)
        for answer in tree.answers[question.pk]:
            if not answer.code_list and answer.next_question_id not in tree.questions:
                report.dead_ends.append(answer)
            for code in answer.code_list:
                if code in BY_CODE:
                    covered.add(code)
                else:
                    report.unknown_codes.append((answer, code))
    report.uncovered_codes = [code for code in BY_CODE if code not in covered]
    report.loops = _cycles(tree)
    return report


def _cycles(tree: Tree) -> list[list[Question]]:
    """Each cycle once, as the questions along it (depth-first search with colours)."""
    colour: dict[int, int] = {}
    found: list[list[Question]] = []
    seen_cycles: set[frozenset[int]] = set()

    def visit(pk: int, stack: list[int]) -> None:
        colour[pk] = 1
        stack.append(pk)
        for child in tree.children(tree.questions[pk]):
            if colour.get(child.pk) == 1:
                cycle = stack[stack.index(child.pk) :]
                if frozenset(cycle) not in seen_cycles:
                    seen_cycles.add(frozenset(cycle))
                    found.append([tree.questions[item] for item in cycle])
            elif child.pk not in colour:
                visit(child.pk, stack)
        stack.pop()
        colour[pk] = 2

    for pk in sorted(tree.questions, key=lambda item: (not tree.questions[item].is_start, item)):
        if pk not in colour:
            visit(pk, [])
    return found


@dataclass
class Node:
    """One question of the diagram; `repeated` when it was already drawn higher up."""

    question: Question
    branches: list["Branch"] = field(default_factory=list)
    repeated: bool = False


@dataclass
class Branch:
    answer: Answer
    node: Node | None = None


def tree_diagram(tree: Tree) -> list[Node]:
    """The tree as nested nodes from the start, then any unreachable question on its own."""
    drawn: set[int] = set()

    def draw(question: Question) -> Node:
        if question.pk in drawn:
            return Node(question=question, repeated=True)
        drawn.add(question.pk)
        node = Node(question=question)
        for answer in tree.answers[question.pk]:
            child = tree.questions.get(answer.next_question_id)
            node.branches.append(Branch(answer=answer, node=draw(child) if child else None))
        return node

    roots = [draw(tree.start)] if tree.start else []
    for question in tree.questions.values():
        if question.pk not in drawn:
            roots.append(draw(question))
    return roots


def tree_reach(tree: Tree) -> dict[int, set[str]]:
    """For each answer, the procedures reachable through it."""
    memo: dict[int, set[str]] = {}

    def reach_question(pk: int, visiting: frozenset[int]) -> set[str]:
        codes: set[str] = set()
        for answer in tree.answers.get(pk, []):
            codes |= reach_answer(answer, visiting | {pk})
        return codes

    def reach_answer(answer: Answer, visiting: frozenset[int]) -> set[str]:
        if answer.pk in memo:
            return memo[answer.pk]
        codes = set(answer.code_list)
        if answer.next_question_id in tree.questions and answer.next_question_id not in visiting:
            codes |= reach_question(answer.next_question_id, visiting)
        memo[answer.pk] = codes
        return codes

    for question in tree.questions.values():
        for answer in tree.answers[question.pk]:
            reach_answer(answer, frozenset())
    return memo


def tree_paths(tree: Tree) -> dict[str, list[list[Answer]]]:
    """For each procedure, the answer paths from the start that end in it."""
    paths: dict[str, list[list[Answer]]] = {}

    def visit(question: Question, trail: list[Answer], visiting: set[int]) -> None:
        for answer in tree.answers[question.pk]:
            for code in answer.code_list:
                paths.setdefault(code, []).append([*trail, answer])
            child = tree.questions.get(answer.next_question_id)
            if child is not None and child.pk not in visiting:
                visit(child, [*trail, answer], visiting | {child.pk})

    if tree.start is not None:
        visit(tree.start, [], {tree.start.pk})
    return paths


@dataclass
class Clarification:
    """A question of the tree that tells two procedures apart, with the answer toward each."""

    question: Question
    options: list[tuple[Answer, str]]


def tree_clarification(tree: Tree, *, first: str, second: str) -> Clarification | None:
    """The most specific question whose answers separate `first` from `second`."""
    reach = tree_reach(tree)
    best: tuple[int, Clarification] | None = None
    for question in tree.questions.values():
        to_first = [a for a in tree.answers[question.pk] if first in reach[a.pk] and second not in reach[a.pk]]
        to_second = [a for a in tree.answers[question.pk] if second in reach[a.pk] and first not in reach[a.pk]]
        if not (to_first and to_second):
            continue
        size = len(reach[to_first[0].pk]) + len(reach[to_second[0].pk])
        if best is None or size < best[0]:
            best = (size, Clarification(question=question, options=[(to_first[0], first), (to_second[0], second)]))
    return best[1] if best else None
