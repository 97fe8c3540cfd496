from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A citizen or a member of staff; the citizen profile lives on the same row."""

    username = None
    first_name = models.CharField(_("nom"), max_length=150, blank=True)
    last_name = models.CharField(_("cognoms"), max_length=150, blank=True)
    email = models.EmailField(_("adreça electrònica"), unique=True)
    document_type = models.CharField(_("tipus de document"), max_length=10, choices=DocumentType.choices, blank=True)
    document_number = models.CharField(_("número de document"), max_length=20, null=True, blank=True)
    phone = models.CharField(_("telèfon"), max_length=20, blank=True)
    postal_address = models.TextField(_("adreça postal"), blank=True)
    notification_email = models.EmailField(_("correu per a avisos"), blank=True)
    language = models.CharField(
        _("idioma"), max_length=5, choices=[("ca", "Català"), ("es", "Español"), ("en", "English")], default="ca"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("usuari")
        verbose_name_plural = _("usuaris")
        constraints = [
            models.UniqueConstraint(fields=["document_number"], name="user_document_number_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def full_name(self) -> str:
        return self.get_full_name()
