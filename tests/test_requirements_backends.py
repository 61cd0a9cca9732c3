"""requirements-backends.txt: exact pins of the packages behind each Keras backend the lessons run under besides the book's."""

from __future__ import annotations

from packaging.requirements import Requirement

import notebook_variants
from book_files import ROOT

#: The packages each Keras backend imports (jax needs jaxlib, of its own version).
BACKEND_PACKAGES = {"jax": {"jax", "jaxlib"}, "torch": {"torch"}}


def _pins() -> dict[str, Requirement]:
    lines = (ROOT / "requirements-backends.txt").read_text().splitlines()
    requirements = [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]
    return {requirement.name: requirement for requirement in requirements}


def test_every_other_backend_has_its_packages_pinned_and_nothing_else():
    others = [name for name in notebook_variants.BACKENDS if name != notebook_variants.BOOK_BACKEND]
    assert set(BACKEND_PACKAGES) == set(others)
    assert set(_pins()) == set().union(*BACKEND_PACKAGES.values())


def test_each_pin_is_one_exact_version():
    for name, requirement in _pins().items():
        specifiers = list(requirement.specifier)
        assert [specifier.operator for specifier in specifiers] == ["=="], name
        assert "*" not in specifiers[0].version, name
        assert not requirement.marker and not requirement.extras and not requirement.url, name


def test_jax_and_jaxlib_are_pinned_to_the_same_version():
    pins = _pins()
    assert str(pins["jax"].specifier) == str(pins["jaxlib"].specifier)
