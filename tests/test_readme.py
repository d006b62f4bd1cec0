"""The README's promises: two commands, and reading snippets that really run."""

from __future__ import annotations

import re

from conftest import ROOT
from flows.clean import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    """The first code block is set-up-and-run then test; .ci/run runs that test command."""
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_reading_snippets_run_against_a_real_output(corpus, tmp_path, capsys):
    """Each python snippet under 'Reading the tables' works on a freshly written destination."""
    dest = tmp_path / "clean"
    assert main(["--source", str(corpus), "--dest", str(dest)]) == 0
    section = README.split("## Reading the tables", 1)[1].split("\n## ", 1)[0]
    snippets = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(snippets) == 3
    for code in snippets:
        capsys.readouterr()
        exec(compile(code.replace('dest = "data/clean"', f'dest = "{dest}"'), "README", "exec"), {})
        out = capsys.readouterr().out
        assert out.strip(), code
    assert "English documents" in README
