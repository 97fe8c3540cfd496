"""Factories of expedients built through the services, with traits for each lifecycle state."""

import factory

from tramits.accounts.identity import check_letter
from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.expedients import services
from tramits.expedients.models import Expedient, State
from tramits.registre.models import Channel, IdentificationMethod, Register, RegisterEntry
from tramits.registre.services import Party, register_entry_create


def dni(n: int) -> str:
    digits = f"{n:08d}"
    return digits + check_letter(digits)


def pdf(text: str = "document") -> tuple[str, bytes, str]:
    return (f"{text}.pdf", f"%PDF-1.4 {text}".encode(), "application/pdf")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    first_name = "Jordi"
    last_name = factory.Sequence(lambda n: f"Vilà {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DEPT{n}")
    dir3 = factory.Sequence(lambda n: f"LA{9000000 + n:07d}")
    name_ca = factory.LazyAttribute(lambda o: f"Departament {o.code}")
    name_es = factory.LazyAttribute(lambda o: f"Departamento {o.code}")

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        for user in extracted or ():
            self.members.add(user)


class RegisterEntryFactory(factory.Factory):
    """An incoming entry registered through the register's own service."""

    class Meta:
        model = RegisterEntry

    unit = factory.SubFactory(DepartmentFactory)
    applicant_name = "Maria Puig Soler"
    applicant_document_number = factory.Sequence(lambda n: dni(10_000_000 + n))
    subject = "Alta al padró"
    procedure_code = "PADRO-ALTA"
    attachments = factory.LazyFunction(lambda: [pdf("contracte")])
    submitted_by = None
    representative = None
    register = Register.INCOMING

    @classmethod
    def _create(cls, model_class, *, unit, applicant_name, applicant_document_number, **kwargs):
        return register_entry_create(
            channel=Channel.ELECTRONIC,
            applicant=Party(
                name=applicant_name,
                document_number=applicant_document_number,
                identified_by=IdentificationMethod.OIDC_VALID,
            ),
            unit_dir3=unit.dir3,
            **kwargs,
        )


class ExpedientFactory(factory.Factory):
    """An expedient opened and then moved through the services to the state its trait names."""

    class Meta:
        model = Expedient

    class Params:
        in_progress = factory.Trait(lifecycle=State.IN_PROGRESS)
        pending_correction = factory.Trait(lifecycle=State.PENDING_CORRECTION)
        suspended = factory.Trait(lifecycle=State.SUSPENDED)
        resolved = factory.Trait(lifecycle=State.RESOLVED)
        archived = factory.Trait(lifecycle=State.ARCHIVED)

    department = factory.SubFactory(DepartmentFactory)
    procedure_code = "PADRO-ALTA"
    subject = "Alta al padró"
    citizen = None
    entry = factory.LazyAttribute(
        lambda o: RegisterEntryFactory(unit=o.department, procedure_code=o.procedure_code, subject=o.subject)
    )
    interested = None
    lifecycle = State.INITIATED

    @classmethod
    def _create(cls, model_class, *, lifecycle, **kwargs):
        expedient = services.expedient_open(**kwargs)
        steps = {
            State.INITIATED: [],
            State.IN_PROGRESS: [State.IN_PROGRESS],
            State.PENDING_CORRECTION: [State.IN_PROGRESS, State.PENDING_CORRECTION],
            State.SUSPENDED: [State.IN_PROGRESS, State.SUSPENDED],
            State.RESOLVED: [State.IN_PROGRESS, State.RESOLVED],
            State.ARCHIVED: [State.IN_PROGRESS, State.RESOLVED, State.ARCHIVED],
        }[lifecycle]
        for step in steps:
            lifecycle_step(expedient, step)
        return expedient


def lifecycle_step(expedient: Expedient, to_state: str, *, actor=None):
    """Move an expedient one step with the service that owns that transition."""
    if to_state == State.PENDING_CORRECTION:
        return services.correction_request(expedient=expedient, actor=actor, description="Falta el contracte signat.")
    if to_state == State.SUSPENDED:
        return services.expedient_suspend(expedient=expedient, actor=actor, reason="Informe preceptiu")
    if to_state == State.RESOLVED:
        return services.expedient_resolve(
            expedient=expedient, actor=actor, title="Resolució d'alta", resolution=pdf("resolucio")
        )
    if to_state == State.ARCHIVED:
        return services.expedient_archive(expedient=expedient, actor=actor)
    if to_state == State.IN_PROGRESS and expedient.state == State.SUSPENDED:
        return services.expedient_resume(expedient=expedient, actor=actor)
    if to_state == State.IN_PROGRESS and expedient.state == State.PENDING_CORRECTION:
        return services.correction_answer(
            correction=expedient.correction_requests.get(state="pending"), actor=actor, text="Adjunto el contracte."
        )
    return services.expedient_transition(expedient=expedient, to_state=to_state, actor=actor)
