"""The OpenAPI 3 description of pctt's JSON endpoints, served at /api/openapi.json.

Built from this small Python description so that it stays next to the code; a test checks that
every documented path resolves and that every public view answering JSON is documented
(tests/fuzz/test_openapi.py), and schemathesis runs against it (tests/fuzz/).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

JSON = "application/json"


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


PROVIDER = {
    "name": "provider",
    "in": "path",
    "required": True,
    "description": "the channel provider's name as set in the back office",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 50},
}
WEBHOOK_BODY = {
    "required": True,
    "content": {
        JSON: {"schema": {"type": "object", "additionalProperties": True}},
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "additionalProperties": {"type": "string"}}
        },
    },
}
REPLY = _json(
    "handled; the reply to send back to the resident (empty for none)",
    {"type": "object", "properties": {"reply": {"type": "string"}}, "required": ["reply"]},
)
WEBHOOK_REFUSALS = {
    "400": _error("the body is too large, malformed or lacks a field"),
    "403": _error("wrong or missing token"),
    "404": _error("no enabled provider of that name"),
    "405": {"description": "only POST"},
}


def _webhook(summary: str, tag: str, responses: dict[str, Any]) -> dict[str, Any]:
    return {
        "parameters": [PROVIDER],
        "post": {
            "summary": summary,
            "tags": [tag],
            "security": [{"webhookToken": []}, {"bearer": []}],
            "requestBody": WEBHOOK_BODY,
            "responses": {**responses, **WEBHOOK_REFUSALS},
        },
    }


READING = {
    "type": "object",
    "description": "one reading; `station` defaults to the token's station",
    "properties": {
        "station": {"type": "string"},
        "time": {"type": "string", "description": "ISO 8601 with a time zone"},
        "value": {"type": "number"},
        "forecast": {"type": "boolean"},
    },
    "required": ["time", "value"],
}

SIGNATURE_HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
    for name in ("X-Pctt-Timestamp", "X-Pctt-Nonce", "X-Pctt-Signature")
]


def _pull_paths() -> dict[str, Any]:
    """Ward side of the pull alternative: the province collects released reports."""
    refusals = {
        "400": _error("malformed signature headers"),
        "401": _error("unsigned, stale or wrong signature"),
        "404": _error("this ward offers no pulling, or no such report"),
        "503": _error("pull mode is on but the ward's token is not set on this server"),
    }
    pk = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "/ke-hoach/api/bao-cao/cho-tinh/": {
            "get": {
                "summary": "Reports released for the province to collect",
                "tags": ["plans"],
                "parameters": SIGNATURE_HEADERS,
                "responses": {
                    "200": _json("ward code and reports", {"type": "object"}),
                    **refusals,
                },
            }
        },
        "/ke-hoach/api/bao-cao/cho-tinh/{pk}/": {
            "parameters": [pk],
            "get": {
                "summary": "One released report: signed figures and the .docx (base64)",
                "tags": ["plans"],
                "parameters": SIGNATURE_HEADERS,
                "responses": {"200": _json("the report", {"type": "object"}), **refusals},
            },
        },
        "/ke-hoach/api/bao-cao/cho-tinh/{pk}/nhan/": {
            "parameters": [pk],
            "post": {
                "summary": "The province acknowledges a report: marked received",
                "tags": ["plans"],
                "parameters": SIGNATURE_HEADERS,
                "responses": {
                    "200": _json("marked received", {"type": "object"}),
                    "405": {"description": "only POST"},
                    **refusals,
                },
            },
        },
    }


PATHS: dict[str, dict[str, Any]] = {
    "/api/openapi.json": {
        "get": {
            "summary": "This description",
            "tags": ["meta"],
            "responses": {"200": _json("OpenAPI 3.0 document", {"type": "object"})},
        }
    },
    "/quan-trac/api/observations": {
        "get": {
            "summary": "Observations of one station (open data)",
            "tags": ["hazards"],
            "parameters": [
                {"name": "station", "in": "query", "required": True, "schema": {"type": "string"}},
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "ISO 8601 time with a zone",
                },
                {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv"]}},
            ],
            "responses": {
                "200": {
                    "description": "the observations, as JSON or (format=csv) CSV",
                    "content": {
                        JSON: {"schema": {"$ref": "#/components/schemas/Observations"}},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                "400": _error("`since` is not a time with a zone"),
                "404": _error("unknown station"),
            },
        },
        "post": {
            "summary": "A gauge sends readings (Authorization: Bearer <station token>)",
            "tags": ["hazards"],
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    JSON: {
                        "schema": {
                            "oneOf": [
                                {
                                    "type": "object",
                                    "properties": {"readings": {"type": "array", "items": READING}},
                                    "required": ["readings"],
                                },
                                {"type": "array", "items": READING},
                            ]
                        }
                    }
                },
            },
            "responses": {
                "200": _json(
                    "accepted and rejected readings, each rejection with its reason",
                    {"type": "object", "additionalProperties": True},
                ),
                "400": _error("not JSON, or no list of readings"),
                "401": _error("missing or unknown station token"),
                "413": _error("more than 256 KiB or more than the batch limit"),
            },
        },
    },
    "/quan-trac/api/stations": {
        "get": {
            "summary": "Stations and their current status",
            "tags": ["hazards"],
            "responses": {
                "200": _json(
                    "the stations",
                    {
                        "type": "object",
                        "properties": {"stations": {"type": "array", "items": {"type": "object"}}},
                        "required": ["stations"],
                    },
                )
            },
        }
    },
    "/ke-hoach/api/hoat-dong/": {
        "post": {
            "summary": "An activity entered on a phone (signed-in official, with CSRF token)",
            "tags": ["plans"],
            "security": [{"session": []}],
            "requestBody": {
                "required": True,
                "content": {
                    JSON: {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "client_id": {"type": "string", "format": "uuid"},
                                "organisation": {"type": "integer"},
                                "kind": {"type": "string"},
                                "held_on": {"type": "string", "format": "date"},
                                "groups": {"type": "array", "items": {"type": "integer"}},
                                "themes": {"type": "array", "items": {"type": "string"}},
                                "materials": {"type": "array", "items": {"type": "integer"}},
                                "participants": {"type": "integer", "minimum": 0},
                                "place": {"type": "string", "maxLength": 200},
                                "description": {"type": "string", "maxLength": 4000},
                            },
                            "required": ["client_id", "organisation", "kind", "held_on"],
                        }
                    }
                },
            },
            "responses": {
                "200": _json("already recorded (same client_id)", {"type": "object"}),
                "201": _json("recorded", {"type": "object"}),
                "400": _json("errors by field", {"type": "object"}),
                "403": {"description": "not signed in, not allowed, or no CSRF token"},
                "405": {"description": "only POST"},
                "413": _json("larger than 16 KiB", {"type": "object"}),
            },
        }
    },
    "/ke-hoach/api/hoat-dong/{client_id}/anh/": {
        "parameters": [
            {
                "name": "client_id",
                "in": "path",
                "required": True,
                "description": "the activity's client_id",
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "post": {
            "summary": "A photo of an activity entered on a phone (signed-in official);"
            " the body is the image itself",
            "tags": ["plans"],
            "security": [{"session": []}],
            "parameters": [
                {
                    "name": "X-Photo-Id",
                    "in": "header",
                    "required": True,
                    "description": "the phone's id for the photo (replays add nothing)",
                    "schema": {"type": "string", "format": "uuid"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    mime: {"schema": {"type": "string", "format": "binary"}}
                    for mime in ("image/jpeg", "image/png", "image/webp")
                },
            },
            "responses": {
                "200": _json("already recorded", {"type": "object"}),
                "201": _json("recorded", {"type": "object"}),
                "400": _json("not an image, or no photo", {"type": "object"}),
                "403": {"description": "not signed in, not allowed, or no CSRF token"},
                "404": _json("no activity with this client_id", {"type": "object"}),
                "405": {"description": "only POST"},
                "413": _json("larger than 8 MB", {"type": "object"}),
            },
        },
    },
    "/ke-hoach/api/bao-cao/": {
        "post": {
            "summary": "Province side: a ward pushes its signed report",
            "tags": ["plans"],
            "security": [{"bearer": []}],
            "parameters": [
                {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
                for name in ("X-Pctt-Timestamp", "X-Pctt-Nonce", "X-Pctt-Signature")
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "figures": {"type": "string", "format": "binary"},
                                "document": {"type": "string", "format": "binary"},
                            },
                            "required": ["figures", "document"],
                        }
                    }
                },
            },
            "responses": {
                "200": _json("already received (same report)", {"type": "object"}),
                "201": _json("received", {"type": "object"}),
                **{
                    code: _error(text)
                    for code, text in (
                        ("400", "malformed headers, body or figures"),
                        ("401", "missing, unknown or stale credentials or signature"),
                        ("403", "the token belongs to another ward"),
                        ("409", "replayed nonce, or a newer version was already received"),
                        ("411", "no Content-Length"),
                        ("413", "too large"),
                        ("415", "not multipart/form-data"),
                    )
                },
                "405": {"description": "only POST"},
            },
        }
    },
    **_pull_paths(),
    "/dang-ky/bao-cao-gui/{provider}/": _webhook(
        "An SMS gateway's delivery reports",
        "dispatch",
        {
            "200": _json(
                "reports received and deliveries updated",
                {
                    "type": "object",
                    "properties": {
                        "received": {"type": "integer"},
                        "updated": {"type": "integer"},
                    },
                    "required": ["received", "updated"],
                },
            )
        },
    ),
    "/dang-ky/sms-den/{provider}/": _webhook(
        "An incoming SMS (STOP, confirmation codes, residents' keywords)",
        "dispatch",
        {"200": REPLY},
    ),
    "/y-kien/sms-den/{provider}/": _webhook(
        "An incoming SMS for residents' questions and reports", "community", {"200": REPLY}
    ),
    "/y-kien/app-den/{provider}/": _webhook(
        "A message to the ward's messaging-app account", "community", {"200": REPLY}
    ),
}


def description() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "pctt",
            "version": "1",
            "description": "JSON endpoints of pctt: gauges, gateways, phones and the province."
            " Errors are JSON objects with an `error` code (and often a `detail`).",
        },
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "webhookToken": {"type": "apiKey", "in": "header", "name": "X-PCTT-Token"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "detail": {"type": "string"},
                    },
                    "required": ["error"],
                },
                "Observations": {
                    "type": "object",
                    "properties": {
                        "station": {"type": "string"},
                        "unit": {"type": "string"},
                        "observations": {"type": "array", "items": {"type": "object"}},
                    },
                    "required": ["station", "unit", "observations"],
                },
            },
        },
    }


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(description(), json_dumps_params={"ensure_ascii": False})
