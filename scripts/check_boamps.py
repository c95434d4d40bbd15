"""Validates a BoAmps report against the BoAmps JSON schemas (draft 4) of a local checkout of Boavizta/BoAmps.

usage: python3 check_boamps.py REPORT.json BOAMPS_MODEL_DIR
(BOAMPS_MODEL_DIR: the `model` folder of https://github.com/Boavizta/BoAmps; needs python3-jsonschema.)
The schemas refer to each other by their raw.githubusercontent.com URLs; these are resolved to the local files, so
nothing is downloaded. Exit 0 and "valid" when the report validates, 1 with every error otherwise.
"""

import json
import sys
from pathlib import Path

import jsonschema


def main(report_path, model_dir):
    model = Path(model_dir)
    store = {}
    for path in model.glob("*_schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        store[schema.get("id") or schema.get("$id")] = schema
    root = json.loads((model / "report_schema.json").read_text(encoding="utf-8"))
    resolver = jsonschema.RefResolver.from_schema(root, store=store)
    validator = jsonschema.Draft4Validator(root, resolver=resolver)
    report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
    for error in errors:
        print("/".join(str(p) for p in error.path) + ": " + error.message, file=sys.stderr)
    if errors:
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
