"""An organization file unchanged since the last command is read from the cache of parsed
files; a changed or new one is parsed again, and a cache of other versions or damaged is not
used."""

from pathlib import Path
from typing import Any

import pytest

from reconciler.config import parse_cache
from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant_files
from reconciler.config.parse_cache import ParseCache

ORG = "name: acme\ndisplay_name: Acme\nmembers:\n  - {user_id: 'auth0|1', roles: [admin]}\n"


def tenant(tmp_path: Path, org: str = ORG) -> Path:
    """A tenant directory with roles and one organization file."""
    directory = tmp_path / "t"
    (directory / "organizations").mkdir(parents=True)
    (directory / "tenant.yaml").write_text("domain: acme.eu.auth0.com\n", encoding="utf-8")
    (directory / "roles.yaml").write_text("roles:\n  admin: {description: A}\n", "utf-8")
    (directory / "organizations" / "acme.yaml").write_text(org, encoding="utf-8")
    return directory


def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the fast path parses from now on (and not the cache)."""
    texts: list[str] = []
    real = parse_cache.fast_mapping

    def counting(text: str, raw: bytes) -> Any:
        texts.append(text)
        return real(text, raw)

    monkeypatch.setattr(parse_cache, "fast_mapping", counting)
    return texts


def test_an_unchanged_file_is_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, path = tenant(tmp_path), tmp_path / "cache"
    first = load_tenant_files(directory, ParseCache(path)).desired
    texts = parsed(monkeypatch)
    again = load_tenant_files(directory, ParseCache(path)).desired
    assert texts == []
    assert again.organizations == first.organizations
    assert again.organizations["acme"].members[0].roles == ["admin"]  # type: ignore[index]


def test_a_changed_file_is_parsed_again_and_the_old_one_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, path = tenant(tmp_path), tmp_path / "cache"
    load_tenant_files(directory, ParseCache(path))
    changed = ORG.replace("Acme", "Acme Inc")
    (directory / "organizations" / "acme.yaml").write_text(changed, encoding="utf-8")
    texts = parsed(monkeypatch)
    desired = load_tenant_files(directory, ParseCache(path)).desired
    assert texts == [changed]
    assert desired.organizations["acme"].display_name == "Acme Inc"
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2  # the header and the new one


def test_a_file_left_to_pyyaml_is_not_kept(tmp_path: Path) -> None:
    directory, path = tenant(tmp_path, ORG.replace("Acme", "&name Acme")), tmp_path / "c"
    load_tenant_files(directory, ParseCache(path))
    assert not path.exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text.replace("python", "pythen", 1), id="other versions"),
        pytest.param(lambda text: text[: len(text) // 2], id="a cut line"),
        pytest.param(lambda text: text.replace(' [{"', ' [["', 1), id="not a mapping"),
    ],
)
def test_a_cache_of_other_versions_or_damaged_is_not_taken_for_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    directory, path = tenant(tmp_path), tmp_path / "cache"
    load_tenant_files(directory, ParseCache(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(damage(text), encoding="utf-8")
    texts = parsed(monkeypatch)
    desired = load_tenant_files(directory, ParseCache(path)).desired
    assert texts == [ORG]
    assert desired.organizations["acme"].display_name == "Acme"
    assert path.read_text(encoding="utf-8") == text


def test_an_error_in_a_cached_file_points_at_its_line_and_column(tmp_path: Path) -> None:
    org = ORG + "branding: {logo_url: 'http://acme.example/logo.png'}\n"
    directory, path = tenant(tmp_path, org), tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(ConfigErrors) as raised:
            load_tenant_files(directory, ParseCache(path))
        assert [str(e).split(": ")[0] for e in raised.value.errors] == [
            f"{directory}/organizations/acme.yaml:5:22"
        ]
    assert path.exists()


def test_a_cache_that_cannot_be_written_is_a_warning_and_the_files_still_load(
    tmp_path: Path,
) -> None:
    directory = tenant(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    files = load_tenant_files(directory, ParseCache(tmp_path / "file" / "cache"))
    assert files.desired.organizations["acme"].display_name == "Acme"
    assert [w for w in files.desired.warnings if "cache of parsed files" in w]


def test_an_unchanged_cache_is_not_written_again(tmp_path: Path) -> None:
    directory, path = tenant(tmp_path), tmp_path / "cache"
    load_tenant_files(directory, ParseCache(path))
    written = path.stat().st_mtime_ns
    path.chmod(0o400)
    files = load_tenant_files(directory, ParseCache(path))
    assert path.stat().st_mtime_ns == written
    assert not files.desired.warnings
