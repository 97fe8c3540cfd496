"""Reads of notifications: what a citizen may open, and what is due to count as rejected."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from tramits.notificacions.models import REJECTION_AFTER, Notification, NotificationChannel, NotificationState
from tramits.representacions.selectors import expedients_for


def notifications_for(*, user, expedients: QuerySet | None = None) -> QuerySet[Notification]:
    """Electronic notifications of the expedients in the user's carpeta (own and represented), newest first."""
    expedients = expedients_for(user=user) if expedients is None else expedients
    return (
        Notification.objects.filter(channel=NotificationChannel.ELECTRONIC, expedient__in=expedients.values("pk"))
        .select_related("expedient")
        .order_by("-made_available_at", "-pk")
    )


def notification_for(*, user, pk: int) -> Notification | None:
    """One notification, if it is in the user's carpeta; None otherwise (the caller answers 404)."""
    return (
        notifications_for(user=user)
        .select_related("expedient", "expedient_document", "issued_document", "correction")
        .filter(pk=pk)
        .first()
    )


def notification_visible(*, user, notification: Notification) -> bool:
    return notifications_for(user=user).filter(pk=notification.pk).exists()


def notifications_due_for_rejection(*, now: dt.datetime | None = None) -> QuerySet[Notification]:
    """Electronic notifications still unopened 10 calendar days after they were made available."""
    now = now or timezone.now()
    return Notification.objects.filter(
        channel=NotificationChannel.ELECTRONIC,
        state=NotificationState.PENDING,
        made_available_at__lte=now - REJECTION_AFTER,
    ).order_by("made_available_at", "pk")
