from __future__ import annotations

import pytest

from flowkit.errors import GenerateError
from flowkit.scaffold import parse_app_name, parse_name


@pytest.mark.parametrize(
    "raw", ["SendEmail", "sendEmail", "send_email", "send-email", "SEND_EMAIL"]
)
def test_spellings_of_one_name_agree(raw: str) -> None:
    name = parse_name(raw)
    assert (name.camel, name.snake, name.kebab, name.constant) == (
        "SendEmail",
        "send_email",
        "send-email",
        "SEND_EMAIL",
    )


def test_acronyms_and_digits_split_into_words() -> None:
    assert parse_name("HTTPClient").snake == "http_client"
    assert parse_name("Step2Go").camel == "Step2Go"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "needs a name"),
        ("a/b", "not a path"),
        ("..\\x", "not a path"),
        ("2fast", "starting with a letter"),
        ("send email", "use letters"),
        ("class", "Python keyword"),
        ("Match", "Python keyword"),
        ("common", "reserved"),
    ],
)
def test_bad_names_are_refused_with_a_reason(raw: str, expected: str) -> None:
    with pytest.raises(GenerateError, match=expected):
        parse_name(raw, "agent")


def test_a_project_may_not_shadow_a_module_it_imports() -> None:
    with pytest.raises(GenerateError, match="shadow"):
        parse_app_name("flowkit")
    assert parse_app_name("my-app").snake == "my_app"
