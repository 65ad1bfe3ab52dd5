"""Property-based run of schemathesis over /openapi.json: no 5xx, nothing outside the schema.

Every operation gets a bounded number of generated requests (signed in, on both
backends), so the run stays well under a minute.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import Api

EXAMPLES_PER_OPERATION = 20
#: what the brief asks for: no 5xx, and every answer (status, type, headers, body) in the schema
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_no_server_errors_and_responses_match_the_schema(api: Api) -> None:
    me = api.user("fuzzer")
    song = api.song(me)
    top = api.comment(me, song)
    api.comment(me, song, "reply", parent_id=top["id"])  # so some generated ids hit real rows
    other = api.user("muted_one")
    api.comment(other, song, "@fuzzer hello", parent_id=top["id"])  # a reply and a mention
    api.put(f"/api/v1/me/mutes/{other['username']}", headers=me["headers"])
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22
    covered = {(op.method.upper(), op.path) for op in operations}
    assert covered >= {
        ("GET", "/api/v1/me/notifications"),
        ("GET", "/api/v1/me/notifications/unread-count"),
        ("POST", "/api/v1/me/notifications/read"),
        ("GET", "/api/v1/me/mutes"),
        ("PUT", "/api/v1/me/mutes/{username}"),
        ("DELETE", "/api/v1/me/mutes/{username}"),
        ("GET", "/api/v1/comments/top"),
        ("GET", "/api/v1/users/{username}"),
        ("GET", "/api/v1/users/{username}/comments"),
        ("POST", "/api/v1/users/{username}/suspend"),
        ("DELETE", "/api/v1/users/{username}/suspend"),
        ("GET", "/api/v1/moderation/log"),
        ("POST", "/api/v1/me/password"),
        ("GET", "/api/v1/me/export"),
        ("DELETE", "/api/v1/me"),
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=me["headers"], checks=CHECKS)

        check()
