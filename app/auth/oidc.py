"""OpenID Connect sign-in: discovery, the authorization-code flow with PKCE, and ID token checks.

Each provider in AUTH_PROVIDERS is found from its issuer's /.well-known/openid-configuration.
state, nonce and the PKCE verifier live in the (signed) cookie session for the one flow in
progress, and are removed when the callback arrives, so a callback can be used only once.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import current_app, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

FLOW_KEY = "oidc_flow"
FLOW_MAX_SECONDS = 600
HTTP_TIMEOUT = 10
CACHE_SECONDS = 3600
CLOCK_LEEWAY = 60
# Asymmetric algorithms only: "none" and shared-secret HMAC tokens are never accepted.
ID_TOKEN_ALGORITHMS = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
]  # fmt: skip
WANTED_SCOPES = ("openid", "email", "profile")
_VERIFIED_CLAIMS = ("email_verified", "xms_edov")


class SignInError(Exception):
    """Sign-in did not complete; the message is safe to show to the person signing in."""


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str


_cache: dict[str, tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def _get_json(url: str, what: str, fresh: bool = False) -> Any:
    with _cache_lock:
        cached = _cache.get(url)
    if cached and not fresh and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        value = response.json()
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("Could not fetch %s from %s: %s", what, url, error)
        raise SignInError("The sign-in service could not be reached. Try again later.") from error
    with _cache_lock:
        _cache[url] = (time.monotonic(), value)
    return value


def provider_settings(name: str) -> dict[str, str] | None:
    provider: dict[str, str] | None = current_app.config["AUTH_PROVIDERS"].get(name)
    return provider


def provider_metadata(provider: dict[str, str]) -> dict[str, Any]:
    """The provider's discovery document; refused unless it names exactly the configured issuer."""
    issuer = provider["issuer"]
    metadata = _get_json(
        issuer.rstrip("/") + "/.well-known/openid-configuration", "discovery document"
    )
    if not isinstance(metadata, dict) or metadata.get("issuer") != issuer:
        current_app.logger.warning(
            "Discovery for %s names issuer %r", issuer, metadata.get("issuer")
        )
        raise SignInError("The sign-in service is not set up correctly on this server.")
    return metadata


def redirect_uri(name: str) -> str:
    base = current_app.config.get("SERVER_BASE_URL", "")
    if base:
        return base.rstrip("/") + url_for("auth.callback", provider=name)
    return url_for("auth.callback", provider=name, _external=True)


def begin_sign_in(name: str, provider: dict[str, str], next_path: str) -> str:
    """Remember a new state, nonce and PKCE verifier; return the provider's sign-in address."""
    metadata = provider_metadata(provider)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    session[FLOW_KEY] = {
        "provider": name,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_path,
        "started": int(time.time()),
    }
    supported = metadata.get("scopes_supported") or WANTED_SCOPES
    params = {
        "response_type": "code",
        "client_id": provider["client_id"],
        "redirect_uri": redirect_uri(name),
        "scope": " ".join(s for s in WANTED_SCOPES if s in supported),
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    endpoint = metadata["authorization_endpoint"]
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)


def finish_sign_in(
    name: str, provider: dict[str, str], args: dict[str, str]
) -> tuple[Identity, str]:
    """Check the callback against the flow this browser started; return who signed in and where
    they were going. Raises SignInError for anything amiss."""
    flow = session.pop(FLOW_KEY, None)
    if not isinstance(flow, dict) or flow.get("provider") != name:
        raise SignInError("This sign-in was not started from this browser. Start again.")
    if time.time() - flow["started"] > FLOW_MAX_SECONDS:
        raise SignInError("This sign-in took too long. Start again.")
    if not secrets.compare_digest(str(args.get("state", "")), flow["state"]):
        raise SignInError("This sign-in was not started from this browser. Start again.")
    if args.get("iss") and args["iss"] != provider["issuer"]:
        # RFC 9207: the answer came from a different provider than the one asked (a mix-up).
        raise SignInError("The sign-in service's answer could not be trusted. Start again.")
    if args.get("error"):
        raise SignInError("The sign-in service did not sign you in. Start again.")
    code = args.get("code")
    if not code:
        raise SignInError("The sign-in service did not send a sign-in code. Start again.")
    metadata = provider_metadata(provider)
    tokens = _exchange_code(name, provider, metadata, code, flow["verifier"])
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise SignInError("The sign-in service did not say who you are. Start again.")
    claims = validate_id_token(id_token, provider, metadata, flow["nonce"])
    if not claims.get("email") and metadata.get("userinfo_endpoint"):
        claims = {**_userinfo(metadata, tokens, claims["sub"]), **claims}
    identity = Identity(
        issuer=provider["issuer"],
        subject=claims["sub"],
        email=str(claims.get("email") or "").strip().lower(),
        # Entra ID sends no email_verified; its optional xms_edov claim says the domain's owner
        # verified the address.
        email_verified=any(claims.get(k) in (True, "true", 1, "1") for k in _VERIFIED_CLAIMS),
        name=str(claims.get("name") or "").strip(),
    )
    return identity, flow["next"]


def _client_key(path: str) -> RSAKey | ECKey:
    with open(path, "rb") as handle:
        pem = handle.read()
    try:
        return RSAKey.import_key(pem)
    except (ValueError, JoseError):
        return ECKey.import_key(pem)


def _exchange_code(
    name: str, provider: dict[str, str], metadata: dict[str, Any], code: str, verifier: str
) -> dict[str, Any]:
    token_endpoint = metadata["token_endpoint"]
    if provider.get("private_key_file"):
        # GOV.UK One Login: the client proves itself with a JWT signed by its own private key.
        key = _client_key(provider["private_key_file"])
        client = OAuth2Session(
            provider["client_id"],
            key,
            token_endpoint_auth_method="private_key_jwt",  # noqa: S106
        )
        alg = "RS256" if isinstance(key, RSAKey) else "ES256"
        client.register_client_auth_method(PrivateKeyJWT(token_endpoint, alg=alg))
    else:
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
        client = OAuth2Session(
            provider["client_id"], provider["client_secret"], token_endpoint_auth_method=method
        )
    try:
        with client:
            tokens: dict[str, Any] = client.fetch_token(
                token_endpoint,
                grant_type="authorization_code",
                code=code,
                redirect_uri=redirect_uri(name),
                code_verifier=verifier,
                timeout=HTTP_TIMEOUT,
            )
    except Exception as error:  # any failure here means no sign-in, said plainly
        current_app.logger.warning("Token exchange with %s failed: %s", name, error)
        raise SignInError("The sign-in service did not accept the sign-in. Start again.") from error
    return tokens


def _key_set(metadata: dict[str, Any], fresh: bool = False) -> KeySet:
    return KeySet.import_key_set(_get_json(metadata["jwks_uri"], "signing keys", fresh=fresh))


def validate_id_token(
    id_token: str, provider: dict[str, str], metadata: dict[str, Any], nonce: str
) -> dict[str, Any]:
    """The ID token's claims, once its signature (from the provider's JWKS), iss, aud, exp, iat
    and nonce have all been checked. Raises SignInError otherwise."""
    refused = SignInError("The sign-in service's answer could not be trusted. Start again.")
    try:
        try:
            token = jwt.decode(id_token, _key_set(metadata), algorithms=ID_TOKEN_ALGORITHMS)
        except JoseError:
            # The provider may have rotated its keys since we last fetched them.
            token = jwt.decode(
                id_token, _key_set(metadata, fresh=True), algorithms=ID_TOKEN_ALGORITHMS
            )
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY,
            iss={"essential": True, "value": provider["issuer"]},
            aud={"essential": True, "value": provider["client_id"]},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError) as error:
        current_app.logger.warning("Refused an ID token: %s", error)
        raise refused from error
    claims = token.claims
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if provider["client_id"] not in audiences:
        raise refused
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != provider["client_id"]:
        raise refused
    return claims


def _userinfo(metadata: dict[str, Any], tokens: dict[str, Any], subject: str) -> dict[str, Any]:
    try:
        response = requests.get(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("Userinfo request failed: %s", error)
        return {}
    # Userinfo about someone else must never be mixed into this person's account.
    if not isinstance(info, dict) or info.get("sub") != subject:
        return {}
    return {k: info[k] for k in ("email", "name", *_VERIFIED_CLAIMS) if k in info}
