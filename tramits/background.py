"""Follow-up work started after a commit: a Celery task on a worker, or, in the embedded mode, after the response.

With a broker the task goes to a worker as usual. In the embedded mode (Celery eager) a task
started during a request would run inside that request and make the citizen wait for it (a PDF
takes WeasyPrint a good fraction of a second), so `AfterResponseMiddleware` runs it once the
response has been handed to the server instead; outside a request (a command, a worker, a test
without a request) it runs at once. Either way the periodic sweeps catch up on anything lost.
"""

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

_pending = threading.local()


def task_start(task, *args) -> None:
    """Start `task(*args)`: queued on the broker, or in the embedded mode after the current response."""
    if not task.app.conf.task_always_eager:
        task.apply_async(args, retry=False)
        return
    queue: list[Callable[[], None]] | None = getattr(_pending, "queue", None)
    if queue is None:
        task.apply(args)
        return
    queue.append(lambda: task.apply(args))


def _run(queue: list[Callable[[], None]]) -> None:
    while queue:
        job = queue.pop(0)
        try:
            job()
        except Exception:
            # The sweeps retry what failed here; the citizen's response has already gone.
            logger.exception("background.after_response_failed")


class AfterResponseMiddleware:
    """Collect the eager tasks a request starts and run them when the server closes the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _pending.queue = queue = []
        try:
            response = self.get_response(request)
        finally:
            _pending.queue = None
        if queue:
            response._resource_closers.append(lambda: _run(queue))
        return response
