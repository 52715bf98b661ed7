"""Write the post-login Action generated from the routing test tenant into a directory.

Usage: python -m tests.routing.generate_action DIR  (writes DIR/post_login.js for the Node tests)
"""

import sys
from pathlib import Path

from reconciler.routing import action_definition
from tests.routing.fixtures import tenant


def main(directory: str) -> Path:
    """Generate the Action and return the file written."""
    definition = action_definition(tenant())
    assert definition is not None, "the routing test tenant has an action section"
    target = Path(directory) / "post_login.js"
    target.write_text(definition.code, encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.routing.generate_action DIR")
    print(main(sys.argv[1]))
