"""Where each person's calendar feed is published: at an address that only a secret finds.

Calendar apps do not sign in, so a feed cannot sit behind the site's single sign-on. Each feed is
written at ``feeds/<token>.ics``, the token being the first 32 hexadecimal digits of
HMAC-SHA256(secret, person id): stable from build to build while the secret stays, impossible to
derive from an id without it, and changed for everyone at once by a new secret (the way to revoke
an address that leaked). The secret comes from the environment (`FEED_SECRET`), never from the
repository nor the site; a person knows their own token and id, so a short secret could be found
by trying, and one shorter than `MIN_SECRET` characters publishes no feed at all.
"""

from __future__ import annotations

import hashlib
import hmac

FEED_SECRET = "LMSGEN_FEED_SECRET"
"""The environment variable that holds the secret."""
MIN_SECRET = 32
"""Characters a secret has at least: `python3 -c 'import secrets; print(secrets.token_hex(32))'` makes one."""
TOKEN_DIGITS = 32


def token(secret: str, person: str) -> str:
    """The token of `person`'s feed: the first 32 hex digits of HMAC-SHA256(key=secret, msg=person id), UTF-8."""
    return hmac.new(secret.encode("utf-8"), person.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_DIGITS]


def feed_path(secret: str, person: str) -> str:
    """The feed's path in the site: ``feeds/<token>.ics``."""
    return f"feeds/{token(secret, person)}.ics"


def secret_problem(secret: str | None) -> str | None:
    """Why no feed can be published with `secret` (a build warning), None when it will do."""
    if not secret:
        return (f"no calendar feeds were written: {FEED_SECRET} is not set; set it to a random secret of at least "
                f"{MIN_SECRET} characters, the same on every build, to publish each person's feed at its secret "
                f"address")
    if len(secret) < MIN_SECRET:
        return (f"no calendar feeds were written: {FEED_SECRET} has {len(secret)} characters, and a secret shorter "
                f"than {MIN_SECRET} could be found by trying from one's own feed address; set a longer random one")
    return None
