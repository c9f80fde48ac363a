#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft 2020-12): check_json_schema.py SCHEMA DOCUMENT.
Exits 0 when it conforms, 1 with each violation and where it is when not, 2 when it cannot check."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)

if len(sys.argv) != 3:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
with open(sys.argv[1], encoding="utf-8") as schema_file, open(sys.argv[2], encoding="utf-8") as document_file:
    schema = json.load(schema_file)
    document = json.load(document_file)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
errors = sorted(validator_class(schema).iter_errors(document), key=lambda error: list(error.path))
for error in errors:
    where = "/".join(str(part) for part in error.path) or "(the document)"
    print(f"{sys.argv[2]}: {where}: {error.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
