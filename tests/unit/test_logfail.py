"""The log-fail fixture of tests/conftest.py: a WARNING nobody expected fails the test."""

from __future__ import annotations

import logging
import threading

import pytest

from tests.conftest import ExpectLog, LogFail

log = logging.getLogger("app.somewhere")


def test_an_unexpected_warning_is_a_problem_and_info_is_not() -> None:
    handler = LogFail()
    logger = logging.getLogger("app.probe")
    logger.addHandler(handler)
    logger.propagate = False  # to this handler only, not to the test's own
    try:
        logger.info("fine")
        logger.warning("the disk is %s", "full")
        worker = threading.Thread(target=logger.error, args=("from a worker",))
        worker.start()
        worker.join()
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert handler.problems() == [
        "unexpected WARNING from app.probe: the disk is full",
        "unexpected ERROR from app.probe: from a worker",
    ]
    assert handler.problems() == []  # each is reported once


def test_an_expectation_matches_logger_level_and_pattern_and_must_be_met() -> None:
    handler = LogFail()
    handler.expect("app", "WARNING", r"disk is \w+")
    handler.expect("app.other", "ERROR", "never", optional=True)
    handler.expect("app.cms", "WARNING", "site said no")
    logger = logging.getLogger("app.probe.child")
    logger.addHandler(handler)
    logger.propagate = False  # to this handler only, not to the test's own
    try:
        logger.warning("the disk is full")  # expected: a child of "app", right level and text
        logger.error("the disk is full")  # the level differs
        logger.warning("something else")  # the text differs
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert handler.problems(final=True) == [
        "unexpected ERROR from app.probe.child: the disk is full",
        "unexpected WARNING from app.probe.child: something else",
        "expected but not logged: WARNING from app.cms matching 'site said no'",
    ]
    with pytest.raises(ValueError):
        handler.expect("app", "LOUD", "x")


@pytest.mark.expect_log("app.somewhere", "WARNING", "expected by the marker")
def test_the_marker_lets_an_expected_warning_through() -> None:
    log.warning("expected by the marker")


def test_the_fixture_lets_an_expected_warning_through(expect_log: ExpectLog) -> None:
    expect_log("app.somewhere", "ERROR", "^expected by the fixture$")
    log.error("expected by the fixture")
