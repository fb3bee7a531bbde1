"""Every package the app imports at run time is installed by requirements.txt (the production image installs
only that file): a module that comes only with a test tool (markdown-it-py arrived with schemathesis's `rich`)
would work in development and fail in production."""

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("cocreate", "contributors", "drafts", "publishing")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements() -> list[Requirement]:
    requirements = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirements.append(Requirement(line))
    return requirements


def with_dependencies(requirements: list[Requirement]) -> set[str]:
    """The requirements and everything they install, as pip would: a dependency behind an extra counts only
    when that extra is asked for (celery[redis] brings redis; pytest's "dev" extra brings nothing here)."""
    seen: set[tuple[str, frozenset[str]]] = set()
    names: set[str] = set()
    todo = [(normalise(r.name), frozenset(r.extras)) for r in requirements]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        names.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if requirement.marker and not any(requirement.marker.evaluate(env) for env in environments):
                continue
            todo.append((normalise(requirement.name), frozenset(requirement.extras)))
    return names


def imported_top_level_modules() -> set[str]:
    modules = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "standins" in path.parts or "tests" in path.parts:
                continue  # the platform stand-ins are the demo's and the tests' (aiosmtpd is a runtime package anyway)
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules


def test_every_package_the_app_imports_is_installed_by_requirements_txt():
    distributions = metadata.packages_distributions()
    installed = with_dependencies(runtime_requirements())
    missing = {}
    for module in imported_top_level_modules():
        if module in sys.stdlib_module_names or module in APP_PACKAGES or module == "manage":
            continue
        owners = {normalise(name) for name in distributions.get(module, [])}
        assert owners, f"{module} is imported but no installed package provides it"
        if not owners & installed:
            missing[module] = sorted(owners)
    assert missing == {}, f"imported at run time but not installed by requirements.txt: {missing}"
