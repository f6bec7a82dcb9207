"""Test support: parses every statement of a file with sqlglot's Redshift dialect, an
independent parser, since no Redshift cluster is reachable from the tests.

    parse_redshift.py FILE

FILE holds statements, each after a line "-- statement: NAME". Prints one line per statement
("ok NAME", "opaque NAME" when sqlglot only kept it as an unparsed command, or "error NAME:
message") and exits 1 if any failed to parse.
"""
import sys

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel


def statements(text):
    name, lines = None, []
    for line in text.splitlines():
        if line.startswith("-- statement: "):
            if name:
                yield name, "\n".join(lines)
            name, lines = line[len("-- statement: "):], []
        else:
            lines.append(line)
    if name:
        yield name, "\n".join(lines)


failed = 0
for name, sql in statements(open(sys.argv[1]).read()):
    try:
        trees = [tree for tree in sqlglot.parse(sql, read="redshift", error_level=ErrorLevel.RAISE) if tree is not None]
        if not trees:
            raise ValueError("nothing parsed")
        opaque = any(isinstance(tree, exp.Command) for tree in trees)
        print(("opaque " if opaque else "ok ") + name)
    except Exception as error:  # noqa: BLE001 - every parser failure is reported the same way
        failed += 1
        print(f"error {name}: {str(error).splitlines()[0]}")
sys.exit(1 if failed else 0)
