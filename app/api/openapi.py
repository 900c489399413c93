"""The OpenAPI 3 document of /api/v1, written by hand beside the routes it describes."""

from __future__ import annotations

from ..export.service import FORMATS
from ..export.source import ALLOWED_CRS


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _job_id() -> dict:
    return {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}


def document() -> dict:
    """The OpenAPI description as a dict."""
    formats = list(FORMATS)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Platsdialog API", "version": "1",
                 "description": "Public pins of citizen dialogues as GeoJSON, and exports for the "
                                "municipality's planners (login session or an API token)."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/dialogues/{slug}/pins": {"get": {
                "summary": "Published map pins of an open or closed dialogue (RFC 7946 GeoJSON)",
                "operationId": "publicPins",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
                    {"name": "cursor", "in": "query", "description": "the id of the last pin of "
                     "the previous page (follow the 'next' link)", "schema": {"type": "integer"}},
                    {"name": "bbox", "in": "query", "description": "min_lng,min_lat,max_lng,max_lat"
                     " in WGS84", "schema": {"type": "string"}, "example": "17.9,59.4,17.95,59.42"},
                ],
                "responses": {
                    "200": {"description": "A page of pins",
                            "content": {"application/geo+json": {"schema": {
                                "$ref": "#/components/schemas/FeatureCollection"}}}},
                    "400": _error("A bad limit, cursor or bbox"),
                    "404": _error("No public dialogue with this slug"),
                },
            }},
            "/dialogues/{dialogue_id}/exports/{format}": {"post": {
                "summary": "Start an export job; raw formats need the working group, project "
                           "leader or a token of the municipality. A login session sends its CSRF "
                           "token in X-CSRFToken.",
                "operationId": "startExport",
                "security": [{"bearer": []}, {"session": []}],
                "parameters": [
                    {"name": "dialogue_id", "in": "path", "required": True,
                     "schema": {"type": "integer"}},
                    {"name": "format", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": formats}},
                    {"name": "crs", "in": "query", "description": "EPSG code (GeoPackage only)",
                     "schema": {"type": "integer", "enum": list(ALLOWED_CRS), "default": 3006}},
                    {"name": "include_hidden", "in": "query",
                     "schema": {"type": "integer", "enum": [0, 1], "default": 0}},
                    {"name": "photos", "in": "query",
                     "schema": {"type": "integer", "enum": [0, 1], "default": 0}},
                ],
                "responses": {
                    "202": {"description": "The job, queued; Location is its address",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/ExportJob"}}}},
                    "400": _error("The options do not fit the format"),
                    "401": _error("No session and no valid token"),
                    "403": _error("The role may not take raw data"),
                    "404": _error("No such dialogue for this user or token, or no such format"),
                    "503": _error("The job queue is not available"),
                },
            }},
            "/exports/{job_id}": {"get": {
                "summary": "An export job's progress; links.file once it is done",
                "operationId": "exportJob",
                "security": [{"bearer": []}, {"session": []}],
                "parameters": [_job_id()],
                "responses": {
                    "200": {"description": "The job", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ExportJob"}}}},
                    "401": _error("No session and no valid token"),
                    "403": _error("The role may not take this format"),
                    "404": _error("No such job for this user or token"),
                },
            }},
            "/exports/{job_id}/file": {"get": {
                "summary": "The finished file of an export job (logged in the audit log)",
                "operationId": "exportFile",
                "security": [{"bearer": []}, {"session": []}],
                "parameters": [_job_id()],
                "responses": {
                    "200": {"description": "The file, as an attachment", "content": {
                        f.mimetype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                        for f in FORMATS.values()}},
                    "401": _error("No session and no valid token"),
                    "403": _error("The role may not take this format"),
                    "404": _error("No such job for this user or token"),
                    "409": _error("The job is not done yet"),
                    "410": _error("The file has expired; start the export again"),
                },
            }},
            "/network/dialogues": {"get": {
                "summary": "The open dialogues of every municipality in the network",
                "operationId": "networkDialogues",
                "responses": {"200": {"description": "The open dialogues", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/NetworkDialogues"}}}}},
            }},
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "platsdialog api-token create --kommunkod NNNN"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "status": {"type": "integer"}, "message": {"type": "string"}}}}},
                "NetworkDialogues": {"type": "object", "required": ["dialogues"], "properties": {
                    "dialogues": {"type": "array", "items": {
                        "type": "object",
                        "required": ["title", "municipality", "kommunkod", "phase", "url"],
                        "properties": {
                            "title": {"type": "string"}, "municipality": {"type": "string"},
                            "kommunkod": {"type": "string", "pattern": "^[0-9]{4}$"},
                            "phase": {"type": "integer", "minimum": 1, "maximum": 4},
                            "opens_on": {"type": "string", "format": "date", "nullable": True},
                            "closes_on": {"type": "string", "format": "date", "nullable": True},
                            "url": {"type": "string"}}}}}},
                "ExportJob": {"type": "object", "required": ["id", "state", "rows_done", "rows_total"],
                              "properties": {
                    "id": {"type": "string"}, "format": {"type": "string", "enum": formats},
                    "state": {"type": "string",
                              "enum": ["queued", "running", "done", "failed", "expired"]},
                    "rows_done": {"type": "integer"}, "rows_total": {"type": "integer"},
                    "eta_seconds": {"type": "integer", "nullable": True},
                    "error": {"type": "string", "nullable": True},
                    "size_bytes": {"type": "integer", "nullable": True},
                    "filename": {"type": "string", "nullable": True},
                    "created_at": {"type": "string", "format": "date-time"},
                    "expires_at": {"type": "string", "format": "date-time", "nullable": True},
                    "links": {"type": "object", "properties": {
                        "self": {"type": "string"}, "file": {"type": "string"}}}}},
                "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "numberReturned": {"type": "integer"},
                    "links": {"type": "array", "items": {"type": "object"}},
                    "features": {"type": "array", "items": {"type": "object", "properties": {
                        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "integer"},
                        "geometry": {"type": "object", "description": "a Point, or the "
                                     "LineString / Polygon (or Multi-) a resident drew"},
                        "properties": {"type": "object", "properties": {
                            "value": {"type": "string", "enum": ["safety", "justice", "development"]},
                            "sentiment": {"type": "string", "enum": ["positive", "negative", "idea"]},
                            "text": {"type": "string"},
                            "created_on": {"type": "string", "format": "date"},
                            "shape_kind": {"type": "string", "enum": ["point", "line", "area"]},
                            "length_m": {"type": "number", "nullable": True,
                                         "description": "a route's length, SWEREF 99 TM"},
                            "area_m2": {"type": "number", "nullable": True,
                                        "description": "an area's area, SWEREF 99 TM"}}}}}},
                }},
            },
        },
    }
