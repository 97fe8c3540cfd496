"""Follow-up work of notifications, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from tramits.notificacions.models import Notification
from tramits.notificacions.selectors import notifications_due_for_rejection
from tramits.notificacions.services import notification_notice_send as notice_send
from tramits.notificacions.services import notification_reject


@shared_task(bind=True, max_retries=8, default_retry_delay=60)
def notification_notice_send(self, notification_pk: int) -> bool:
    """E-mail the notice of one notification; retried with backoff when the mail server fails."""
    notification = Notification.objects.select_related("recipient", "expedient").filter(pk=notification_pk).first()
    if notification is None:
        return False
    try:
        return notice_send(notification=notification)
    except Exception as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task
def notifications_expire(notification_pks: list[int] | None = None) -> int:
    """Record as rejected the notifications unopened for 10 calendar days (art. 43.2); returns how many."""
    now = timezone.now()
    if notification_pks is None:
        notification_pks = list(notifications_due_for_rejection(now=now).values_list("pk", flat=True)[:1000])
    rejected = 0
    for notification in Notification.objects.filter(pk__in=notification_pks).order_by("pk"):
        rejected += notification_reject(notification=notification, now=now)
    return rejected


# Hourly, so a notification counts as rejected within the hour its tenth day ends.
