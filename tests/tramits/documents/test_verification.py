import hashlib

import pytest
from django.urls import reverse

from tramits.documents.models import Origin, ProductionState
from tramits.documents.views import LOOKUP_LIMIT

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 certificat\x00\xff"


def verify_url(language: str = "ca") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("documents:verify")


class TestIssuedDocument:
    def test_metadata_hash_and_private_file(self, certificate, settings):
        assert len(certificate.csv) == 20
        assert certificate.sha256 == hashlib.sha256(CONTENT).hexdigest()
        assert certificate.size == len(CONTENT)
        assert certificate.nti_identifier.startswith("ES_LA0019781_")
        assert (certificate.origin, certificate.state, certificate.file_format) == (
            Origin.ADMINISTRATION,
            ProductionState.ORIGINAL,
            "PDF",
        )
        assert certificate.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        with pytest.raises(RuntimeError):
            certificate.file.url


class TestVerificationPage:
    def test_empty_form(self, client):
        response = client.get(verify_url())
        assert response.status_code == 200
        content = response.content.decode()
        assert content.count("<h1") == 1
        assert '<label for="id_csv">' in content
        assert 'id="id_csv"' in content
        assert "error-summary" not in content

    def test_good_code_shows_metadata_and_download_link(self, client, certificate):
        typed = certificate.csv_display.lower().replace("-", " ")
        response = client.get(verify_url(), {"csv": typed})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Certificat d&#x27;empadronament" in content
        assert certificate.sha256 in content
        assert certificate.nti_identifier in content
        assert reverse("documents:download", kwargs={"csv": certificate.csv}) in content
        assert response["X-Robots-Tag"] == "noindex"

    def test_unknown_code_is_404_with_a_message_linked_to_the_field(self, client, certificate):
        other = ("0" if certificate.csv[0] != "0" else "1") + certificate.csv[1:]
        response = client.get(verify_url(), {"csv": other})
        assert response.status_code == 404
        content = response.content.decode()
        assert "No hi ha cap document amb aquest codi" in content
        assert 'href="#id_csv"' in content
        assert 'aria-invalid="true"' in content
        assert certificate.title not in content

    def test_prefix_of_a_real_code_is_just_malformed(self, client, certificate):
        response = client.get(verify_url(), {"csv": certificate.csv[:10]})
        assert response.status_code == 400
        assert "no té el format d&#x27;un CSV" in response.content.decode()

    def test_message_is_translated(self, client):
        response = client.get(verify_url("es"), {"csv": "nope"})
        assert response.status_code == 400
        assert '<html lang="es">' in response.content.decode()

    def test_lookups_are_rate_limited_per_address(self, client, certificate):
        for _ in range(LOOKUP_LIMIT):
            assert client.get(verify_url(), {"csv": "ZZZZZZZZZZZZZZZZZZZZ"}).status_code == 404
        response = client.get(verify_url(), {"csv": certificate.csv})
        assert response.status_code == 429
        assert "massa consultes" in response.content.decode()
        assert certificate.title not in response.content.decode()
        download = reverse("documents:download", kwargs={"csv": certificate.csv})
        assert client.get(download).status_code == 429
        assert client.get(verify_url(), {"csv": certificate.csv}, REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_empty_lookups_are_not_counted(self, client, certificate):
        for _ in range(LOOKUP_LIMIT + 5):
            client.get(verify_url())
        assert client.get(verify_url(), {"csv": certificate.csv}).status_code == 200

    def test_posts_are_refused(self, client):
        assert client.post(verify_url(), {"csv": "x"}).status_code == 405


class TestDownload:
    def test_download_returns_the_exact_bytes(self, client, certificate):
        response = client.get(reverse("documents:download", kwargs={"csv": certificate.csv_display.lower()}))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="certificat.pdf"' in response["Content-Disposition"]

    @pytest.mark.parametrize("csv", ["ZZZZZZZZZZZZZZZZZZZZ", "malformat"])
    def test_unknown_or_malformed_code_is_404(self, client, certificate, csv):
        assert client.get(reverse("documents:download", kwargs={"csv": csv})).status_code == 404
