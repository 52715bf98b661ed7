"""How a page's blocks become steps, and how shown output is compared: the rules that
test_snippets.py applies to README.md and docs/."""

import re
from pathlib import Path

from tests.docs.snippets import (
    Command,
    WriteFile,
    blocks,
    documents,
    hidden_commands,
    matches,
    steps,
)

ROOT = Path(__file__).resolve().parents[2]

PAGE = """# A page

```console
$ reconciler validate --tenant example
example: 2 organizations, 2 roles, 6 members: valid
$ reconciler drift --tenant example   # exits 2: drift found
…
$ reconciler init my-config \\
    --tenant production
```

<!-- not run: serves until stopped -->
```sh
reconciler sandbox serve --port 4010
```

<!-- file: tenants/example/organizations/gamma.yaml -->
```yaml
name: gamma
```

```text
$ reconciler plan
```
"""


def test_a_console_block_is_read_as_commands_with_their_output_and_exit_codes() -> None:
    found = steps(blocks(PAGE, "page.md"))
    assert found[:3] == [
        Command(
            "page.md:4",
            "reconciler validate --tenant example",
            ("example: 2 organizations, 2 roles, 6 members: valid",),
            0,
        ),
        Command(
            "page.md:6",
            "reconciler drift --tenant example   # exits 2: drift found",
            ("…",),
            2,
        ),
        Command("page.md:8", "reconciler init my-config \\\n    --tenant production", None, 0),
    ]


def test_a_marked_block_is_left_out_and_a_file_block_is_written() -> None:
    page_blocks = blocks(PAGE, "page.md")
    assert [b.not_run for b in page_blocks] == [None, "serves until stopped", None, None]
    assert steps(page_blocks)[3:] == [
        WriteFile("page.md:18", "tenants/example/organizations/gamma.yaml", "name: gamma\n")
    ]


def test_a_command_shown_in_a_block_that_is_not_run_is_found() -> None:
    assert hidden_commands(blocks(PAGE, "page.md")) == ["page.md:22"]


def test_an_elided_line_stands_for_any_lines_and_an_inline_elision_for_any_text() -> None:
    output = "Tenant example: read in 11 API calls\n\nOrganization acme-corp\n  + member bob\n"
    assert matches(("…", "Organization acme-corp", "…"), output)
    assert matches(("Tenant example: read in … API calls", "…"), output)
    assert matches(("…", "  + member bob"), output)


def test_output_that_differs_from_the_page_fails() -> None:
    output = "Plan: 1 to create\nNo changes.\n"
    assert not matches(("No changes.",), output)
    assert not matches(("Plan: 1 to create",), output)
    assert not matches(("…", "Plan: 2 to create", "…"), output)
    assert not matches(("Plan: … to create", "No changes.", "Verified."), output)


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a page's headings."""
    found = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        fenced ^= line.startswith("```")
        if not fenced and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_every_link_between_the_pages_leads_to_a_file_and_heading_that_exist() -> None:
    broken = []
    for page in [*documents(ROOT), ROOT / "SECURITY.md"]:
        for link in _LINK.findall(page.read_text(encoding="utf-8")):
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            name, _, anchor = link.partition("#")
            target = (page.parent / name).resolve() if name else page
            if not target.exists() or (
                anchor and target.suffix == ".md" and anchor not in _anchors(target)
            ):
                broken.append(f"{page.relative_to(ROOT)}: {link}")
    assert broken == []


_PATH = re.compile(r"`((?:reconciler|tests|bench|schemas|docs|tenants|\.github)/[^`\s<>{}*:]+)")


def test_every_path_of_the_repository_the_pages_name_exists() -> None:
    missing = [
        f"{page.relative_to(ROOT)}: {path}"
        for page in [*documents(ROOT), ROOT / "SECURITY.md"]
        for path in _PATH.findall(page.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert missing == []
