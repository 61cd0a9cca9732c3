"""Fixtures of the figure tests: a stand-in for a Keras ``History``."""

from __future__ import annotations

import pytest


class FakeHistory:
    """What matters of keras.callbacks.History: a .history dict."""

    def __init__(self, record):
        self.history = record


@pytest.fixture
def fake_history():
    """Wraps a dict of per-epoch metrics as a Keras ``History`` does."""
    return FakeHistory
