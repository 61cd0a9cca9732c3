"""constraints.txt: the environment the Makefile installed holds exactly the versions the lock pins."""

from __future__ import annotations

from importlib.metadata import distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from lesson_book.book import ROOT

#: Installed but not locked: the support package itself (editable, from src/), and
#: pip, which every install step upgrades to its newest release first.
NOT_LOCKED = {"cnn-lesson", "lesson-book-tools", "pip"}


def _locked() -> dict[str, Requirement]:
    """The pins that apply on this platform and Python (uv writes one per marker)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        text = line.split("#")[0].strip()
        if not text:
            continue
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate():
            name = canonicalize_name(requirement.name)
            assert name not in pins, f"two pins of {name} apply here"
            pins[name] = requirement
    return pins


def test_every_installed_package_is_locked_at_its_installed_version():
    pins = _locked()
    unlocked, differs = [], []
    for distribution in distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name in NOT_LOCKED:
            continue
        if name not in pins:
            unlocked.append(f"{name} {distribution.version}")
        elif distribution.version not in pins[name].specifier:
            differs.append(f"{name} {distribution.version} (locked {pins[name].specifier})")
    assert not unlocked, f"installed, not in constraints.txt (run make lock): {unlocked}"
    assert not differs, f"installed at another version than constraints.txt pins: {differs}"

