#!/usr/bin/env python3
# check-openapi.py - docs/openapi.yaml says what the server does
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Parses the OpenAPI description and checks it against the server's source:
# the same problem codes, with the same statuses where the description
# names them, and the same paths. Prints TAP.

import re
import sys

import yaml

root = sys.argv[1]
spec = yaml.safe_load(open(f"{root}/docs/openapi.yaml", encoding="utf-8"))
source = open(f"{root}/src/server/dlg-server.c", encoding="utf-8").read()

results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


check("openapi version", spec.get("openapi", "").startswith("3."))

table = dict((code, int(status)) for code, status in
             re.findall(r'\{ "([a-z-]+)", (\d{3}), "', source))
documented = set(spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"])
check("every problem code of the server is documented",
      set(table) <= documented, ", ".join(sorted(set(table) - documented)))
check("every documented problem code exists",
      documented <= set(table), ", ".join(sorted(documented - set(table))))

# Each route the server matches has a path in the description.
paths = set(spec["paths"])
for route in ["/health", "/me", "/keys", "/reports", "/reviews", "/questionnaires",
              "/reports/{id}", "/reviews/{id}", "/questionnaires/{sha256}",
              "/organisations/{organisation}/keys"]:
    check(f"path {route} is documented", route in paths)
for word in ["health", "me", "keys", "reports", "reviews", "questionnaires", "organisations"]:
    check(f"the server routes {word}", f'"{word}"' in source)

# Statuses a documented operation answers exist in the server's table or
# are plain successes.
statuses = set(table.values()) | {200, 201}
for path, item in spec["paths"].items():
    for method, operation in item.items():
        for status in operation.get("responses", {}):
            check(f"{method.upper()} {path} {status} is a status the server gives",
                  int(status) in statuses)

print(f"1..{len(results)}")
for number, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {number} {name}{' # ' + detail if detail and not ok else ''}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
