"""Citizen and staff accounts: the custom user model and its profile."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tramits.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from tramits.accounts.signals import record_second_factor_on_activation

        authenticator_added.connect(record_second_factor_on_activation, dispatch_uid="accounts.mfa_activation")
