"""A tiny OpenID Connect provider on 127.0.0.1, for end-to-end tests of the identity broker login."""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class FakeProvider:
    """Serves discovery, token, userinfo and JWKS; records every request it answers."""

    client_id: str = "seu-client"
    client_secret: str = "seu-secret"
    claims: dict = field(default_factory=dict)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.access_token = uuid.uuid4().hex
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [path for _method, path, _data in self.requests]

    def configuration(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": self.claims["sub"],
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def handler_class(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlparse(self.path).path
                provider.requests.append(("GET", path, {"authorization": self.headers.get("Authorization")}))
                if path == "/.well-known/openid-configuration":
                    return self.answer(200, provider.configuration())
                if path == "/jwks":
                    return self.answer(200, provider.jwks())
                if path == "/userinfo":
                    if self.headers.get("Authorization") != f"Bearer {provider.access_token}":
                        return self.answer(401, {"error": "invalid_token"})
                    return self.answer(200, provider.claims)
                return self.answer(404, {"error": "not_found"})

            def do_POST(self):
                path = urlparse(self.path).path
                length = int(self.headers.get("Content-Length", "0"))
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                provider.requests.append(("POST", path, form))
                if path != "/token":
                    return self.answer(404, {"error": "not_found"})
                valid = (
                    form.get("grant_type") == "authorization_code"
                    and form.get("client_id") == provider.client_id
                    and form.get("client_secret") == provider.client_secret
                    and provider.codes.get(form.get("code", "")) == form.get("redirect_uri")
                )
                if not valid:
                    return self.answer(400, {"error": "invalid_grant"})
                provider.codes.pop(form["code"])
                return self.answer(
                    200,
                    {
                        "access_token": provider.access_token,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(),
                    },
                )

        return Handler
