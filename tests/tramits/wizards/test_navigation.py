"""Conditional steps, progress, back without losing answers, change links, finder prefill, skipped steps."""

from tests.tramits.wizards.helpers import ADDRESS, APPLICANT, Wizard, happy_steps, pdf
from tramits.submissions.models import Submission
from tramits.wizards.models import Draft


def test_start_redirects_to_first_step_and_shows_progress(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    response = wizard.start()
    assert response["Location"] == wizard.url("sollicitant")
    page = seu.get(response["Location"]).content.decode()
    assert "Pas 1 de" in page
    assert 'value="Marta Puig i Solé"' in page  # the applicant comes from the profile


def test_lowercase_code_goes_to_the_canonical_wizard(seu):
    response = seu.get("/ca/tramitar/padro-alta/")
    assert response["Location"] == "/ca/tramitar/PADRO-ALTA/"


def test_login_is_required(client, departments):
    response = client.get("/ca/tramitar/PADRO-ALTA/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_unknown_procedure_is_404(seu):
    assert seu.get("/ca/tramitar/NO-EXISTEIX/").status_code == 404


def test_evidence_path_decides_the_next_step(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    steps = happy_steps("PADRO-ALTA")[:4]
    wizard.fill(steps)
    response = wizard.post("acreditacio", {"path": "autoritzacio"})
    assert response["Location"] == wizard.url("autoritzacio")
    response = wizard.post("acreditacio", {"path": "sense-domicili"})
    assert response["Location"] == wizard.url("sense-domicili")
    response = wizard.post("acreditacio", {"path": "altres-proves"})
    assert response["Location"] == wizard.url("altres-proves")


def test_no_fixed_address_needs_no_document(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill(happy_steps("PADRO-ALTA")[:4])
    wizard.fill(
        [("acreditacio", {"path": "sense-domicili"}, {}), ("sense-domicili", {"social_services_contact": "no"}, {})]
    )
    response = wizard.submit()
    assert response.status_code == 302
    assert Submission.objects.get().files.filter(kind="document").count() == 0


def test_several_people_and_minors_add_their_steps(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = wizard.post("qui", {"who": "jo-i-altres", "minors": "si"})
    assert response["Location"] == wizard.url("persones")
    page = seu.get(response["Location"]).content.decode()
    assert "Pas 3 de 8" in page
    response = wizard.post("persones", {"name_1": "Pau Puig", "birth_date_1": "2018-04-02"})
    assert response["Location"] == wizard.url("menors")
    response = wizard.post("menors", {"custody": "consentiment"}, {"consent_document": pdf("consentiment.pdf")})
    assert response["Location"] == wizard.url("procedencia")


def test_an_adult_needs_a_document(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill([("sollicitant", APPLICANT, {}), ("qui", {"who": "jo-i-altres", "minors": "no"}, {})])
    response = wizard.post("persones", {"name_1": "Aina Serra", "birth_date_1": "1980-01-01"})
    assert response.status_code == 200
    assert "Una persona major d&#x27;edat ha d&#x27;indicar el seu document." in response.content.decode()


def test_back_keeps_the_answers(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill(happy_steps("PADRO-ALTA")[:4])
    page = seu.get(wizard.url("acreditacio")).content.decode()
    assert f'href="{wizard.url("adreca")}"' in page  # the back link
    previous = seu.get(wizard.url("adreca")).content.decode()
    assert 'value="00380" selected' in previous
    assert 'value="3r"' in previous
    origin = seu.get(wizard.url("procedencia")).content.decode()
    assert 'value="Balaguer"' in origin


def test_check_page_has_a_change_link_per_answer_that_returns_to_it(seu):
    wizard = Wizard(seu, "PADRO-CANVI-DOMICILI")
    wizard.fill(happy_steps("PADRO-CANVI-DOMICILI"))
    page = wizard.check_page().content.decode()
    assert "Rambla de Ferran" in page
    assert "contracte.pdf" in page
    change = wizard.url("adreca") + "?canvi=1#id_adreca-floor"
    assert f'href="{change}"' in page
    form = seu.get(wizard.url("adreca") + "?canvi=1").content.decode()
    assert 'name="canvi" value="1"' in form
    response = wizard.post("adreca", {**ADDRESS, "floor": "5è"}, canvi="1")
    assert response["Location"] == wizard.url("revisio")
    assert "5è" in wizard.check_page().content.decode()


def test_a_change_that_opens_a_new_question_asks_it_before_returning(seu):
    wizard = Wizard(seu, "PADRO-CANVI-DOMICILI")
    wizard.fill(happy_steps("PADRO-CANVI-DOMICILI"))
    response = wizard.post("acreditacio", {"path": "autoritzacio"}, canvi="1")
    assert response["Location"] == wizard.url("autoritzacio")


def test_finder_parameters_preselect_answers(seu):
    wizard = Wizard(seu, "PADRO-CANVI-DOMICILI")
    response = wizard.start("ambit=lleida&persona=jo&unknown=1")
    assert response["Location"] == wizard.url("sollicitant")
    wizard.fill([("sollicitant", APPLICANT, {})])
    page = seu.get(wizard.url("ambit")).content.decode()
    assert any('value="lleida"' in line for line in page.splitlines() if "checked" in line)
    wizard.fill([("ambit", {"scope": "lleida"}, {})])
    who = [line for line in seu.get(wizard.url("qui")).content.decode().splitlines() if "checked" in line]
    assert any('value="jo"' in line for line in who)


def test_finder_prefill_for_padro_alta_from_abroad(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.start("ambit=estranger")
    wizard.fill([("sollicitant", APPLICANT, {}), ("qui", {"who": "jo", "minors": "no"}, {})])
    page = seu.get(wizard.url("procedencia")).content.decode()
    checked = [line for line in page.splitlines() if "checked" in line]
    assert any('value="estranger"' in line for line in checked)


def test_moving_elsewhere_is_explained(seu):
    wizard = Wizard(seu, "PADRO-CANVI-DOMICILI")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = wizard.post("ambit", {"scope": "altre-municipi"})
    assert response.status_code == 200
    assert "l&#x27;alta la feu al padró del nou municipi" in response.content.decode()


def test_skipping_a_step_by_get_or_post_goes_back_to_it(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = seu.get(wizard.url("adreca"))
    assert response["Location"] == wizard.url("qui")
    response = wizard.post("adreca", ADDRESS)
    assert response["Location"] == wizard.url("qui")
    assert "adreca" not in Draft.objects.get().data["step_data"]
    response = wizard.submit()
    assert response["Location"] == wizard.url("qui")
    assert not Submission.objects.exists()


def test_a_step_of_another_branch_cannot_be_posted(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill(happy_steps("PADRO-ALTA")[:5])  # evidence path: title
    response = wizard.post("sense-domicili", {"social_services_contact": "no"})
    assert response.status_code == 302
    assert "sense-domicili" not in Draft.objects.get().data["step_data"]


def test_forged_management_form_gets_a_message_not_an_error_page(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    for forged in ({"PADRO-ALTA-current_step": "adreca"}, {"PADRO-ALTA-current_step": "../../x"}, {}):
        data = {**forged, "qui-who": "jo", "qui-minors": "no"}
        response = seu.post(wizard.url("qui"), data, follow=True)
        assert response.status_code == 200
        assert "El formulari ha arribat incomplet o modificat" in response.content.decode()
    assert "qui" not in Draft.objects.get().data["step_data"]


def test_unknown_step_in_url_redirects_to_the_current_one(seu):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    assert seu.get(wizard.url("no-existeix"))["Location"] == wizard.url("qui")
    response = seu.post(wizard.url("no-existeix"), {"PADRO-ALTA-current_step": "no-existeix"})
    assert response["Location"] == wizard.url("qui")


def test_done_url_on_get_submits_nothing(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    response = seu.get(wizard.url("enviament"))
    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_pages_in_spanish_and_english(seu):
    for language, text in (("es", "Paso 1 de"), ("en", "Step 1 of")):
        wizard = Wizard(seu, "GEN-QUEIXES", language=language)
        page = seu.get(wizard.url("sollicitant"))
        assert page.status_code == 200
        assert page.headers["Content-Language"] == language
        assert text in page.content.decode() or "Pas 1 de" in page.content.decode()
