from __future__ import annotations

import flowkit.scaffold


def test_public_names_are_pinned() -> None:
    assert sorted(flowkit.scaffold.__all__) == [
        "Check",
        "FileSet",
        "KINDS",
        "Models",
        "Name",
        "Options",
        "Plan",
        "Registration",
        "RegistryError",
        "WriteReport",
        "apply_plan",
        "destroy",
        "find_app",
        "format_checks",
        "generate",
        "header",
        "install_source",
        "new_project",
        "parse_app_name",
        "parse_name",
        "plan",
        "plan_pipeline",
        "plan_project",
        "register",
        "remove_files",
        "run_checks",
        "unregister",
    ]
    for name in flowkit.scaffold.__all__:
        assert hasattr(flowkit.scaffold, name)
