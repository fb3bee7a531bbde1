"""Rules about where code lives that no single feature test would notice breaking."""

import ast
import re
import subprocess
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
PRODUCTION_PACKAGES = ["cocreate", "contributors", "drafts", "publishing"]
# A path that exists only on the machine of whoever wrote it: this machine's work folders, home folders, or
# the steering folder beside the repository, which nobody who clones the repository has.
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(work|root|home/\w+)/|\.\./shared/")
# The README is edited only at merges (eight branches would conflict there); its one citation of the
# contracts is rewritten there.
NOT_CHECKED_FOR_PATHS = {"README.md"}


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [REPO / name for name in listed.decode().split("\0") if name]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_it_never_imports_test_code_from_production_code():
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for package in PRODUCTION_PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
        for module in sorted(imported_modules(path))
        if module == "tests" or module.startswith("tests.")
    ]
    assert offenders == []


def test_it_cites_no_path_that_exists_only_on_a_development_machine():
    offenders = []
    for path in tracked_files():
        if path.name in NOT_CHECKED_FOR_PATHS or not path.is_file():
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue  # images and other binaries
        offenders += [
            f"{path.relative_to(REPO)}:{number}: {line.strip()[:100]}"
            for number, line in enumerate(text.splitlines(), start=1)
            if MACHINE_PATH.search(line)
        ]
    assert offenders == []


def test_its_stand_ins_cite_the_contracts_kept_in_the_repository():
    assert (REPO / "docs" / "channels.md").is_file()
    citing = [path for path in (REPO / "publishing" / "standins").glob("*.py") if "channels.md" in path.read_text()]
    assert len(citing) >= 6  # the stand-ins written from the contracts say so in their first lines
    assert all("docs/channels.md" in path.read_text() for path in citing)
