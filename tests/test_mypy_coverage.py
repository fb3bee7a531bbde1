"""`make lint` type-checks the whole business layer: every services and selectors module is listed in mypy.ini,
so a new one cannot be left out by forgetting it."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cocreate", "contributors", "drafts", "publishing")


def checked_paths() -> set[Path]:
    config = configparser.ConfigParser()
    config.read(ROOT / "mypy.ini")
    listed = {ROOT / entry.strip() for entry in config["mypy"]["files"].split(",") if entry.strip()}
    return {path.resolve() for path in listed}


def is_checked(module: Path, checked: set[Path]) -> bool:
    return any(module == path or path in module.parents for path in checked)


def business_modules() -> list[Path]:
    found = []
    for app in APPS:
        for module in (ROOT / app).rglob("*.py"):
            if module.name in ("services.py", "selectors.py") or module.parent.name == "services":
                found.append(module.resolve())
    return sorted(found)


def test_every_services_and_selectors_module_is_type_checked():
    checked = checked_paths()
    modules = business_modules()
    assert len(modules) >= 20  # the walk finds them (a wrong root would pass with none)
    missing = [str(module.relative_to(ROOT)) for module in modules if not is_checked(module, checked)]
    assert missing == []


def test_the_adapters_are_type_checked():
    checked = checked_paths()
    assert all(is_checked(module.resolve(), checked) for module in (ROOT / "publishing" / "adapters").glob("*.py"))
