from __future__ import annotations

import flowkit.scaffold


def test_public_names_are_pinned() -> None:
    assert sorted(flowkit.scaffold.__all__) == [
        "FileSet",
        "KINDS",
        "Name",
        "Options",
        "Plan",
        "Registration",
        "RegistryError",
        "WriteReport",
        "destroy",
        "find_app",
        "generate",
        "header",
        "new_project",
        "parse_app_name",
        "parse_name",
        "plan",
        "plan_project",
        "register",
        "remove_files",
        "unregister",
    ]
    for name in flowkit.scaffold.__all__:
        assert hasattr(flowkit.scaffold, name)
