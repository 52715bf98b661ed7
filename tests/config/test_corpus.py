"""Every bad input in `corpus/` is reported as exact `file:line:col: message` lines.

Each case is a tenant directory; `expected.txt` beside its files holds the stderr lines of
`reconciler validate` run inside it, in order.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.config import yaml_fast, yaml_source
from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())


def _expected(case: str) -> list[str]:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_the_corpus_has_at_least_25_cases_each_expecting_errors() -> None:
    assert len(CASES) >= 25
    assert all(_expected(case) for case in CASES)


@pytest.mark.parametrize("case", CASES)
def test_validate_prints_every_error_and_exits_1(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS / case)
    result = CliRunner().invoke(main, ["validate", "--tenant", "."])
    assert result.stderr.splitlines() == _expected(case)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.exc_info is not None and result.exc_info[0] is SystemExit
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "parser", ["yaml_rs", "libyaml", "pure-python"], ids=["yaml-rs", "libyaml", "pure-python"]
)
@pytest.mark.parametrize("case", CASES)
def test_load_tenant_raises_every_error_as_values(
    case: str, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser != "yaml_rs":
        monkeypatch.setattr(yaml_fast, "_loads", None)
    if parser == "pure-python":
        monkeypatch.setattr(yaml_source, "_FAST_LOADER", None)
    monkeypatch.chdir(CORPUS / case)
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(".")
    assert [str(error) for error in raised.value.errors] == _expected(case)
    assert str(raised.value).splitlines() == _expected(case)
