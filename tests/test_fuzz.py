"""Fuzzing content files (issue 6): any mutation ends in a valid PDF or a clean error.

Each example mutates a valid content file of the test topic in a scratch copy of the
test project (random text in every shipped script, random lengths, deleted / renamed /
retyped keys, random YAML, random bytes) and builds in-process with the function the
CLI calls. The property: the build
either writes a valid two-page PDF, or fails with UserError messages (one line each,
exit 1 in the CLI). Any other exception is what the CLI reports as exit 2: a bug.

    pytest tests/test_fuzz.py                                   # CI: ~40 examples each
    HYPOTHESIS_PROFILE=thorough pytest tests/test_fuzz.py       # 2,000 examples each
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one, bundle_for, check_all
from printshop.content.yamlsafe import dump_yaml
from printshop.errors import UserError
from printshop.project import Project, builtin_root

from .conftest import SMALL_PROJECT, SMALL_TOPIC

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every CI run
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TOPIC = SMALL_TOPIC

# Characters of every shipped script, plus the ones that break naive code.
SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "polish": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "vietnamese": "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "\u0300\u0301\u0303\u0309\u0323",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةى\u064b\u064e\u064f\u0650\u0651\u0652٠١٢٣",
    "urdu": "ٹڈڑںھےۓپچژکگی",
    "bengali": "অআইঈউঊঋএঐওঔকখগঘঙচছজঝঞটঠডঢণতথদধনপফবভমযরলশষসহ\u09be\u09bf\u09c0\u09c1\u09cd\u09bc।",
    "devanagari": "अआइईउऊऋएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह"
    "\u093e\u093f\u0940\u0941\u094d\u093c।",
    "han": "婴儿按摩的好处睡眠消化安全步骤重复腿脚肚子胸部手臂背部脸，。：；！？「」（）",
    "marks": " .,;:!?-–—'\"()[]{}<>&*#%/\\|~^`@$\u00a0\u200b\u200c\u200d\u2028\n",
    "markup": "<b></b><font color=red><a href='https://e.org'>&amp;&lt;**",
}
ALPHABET = "".join(SCRIPTS.values())

script_text = st.one_of(
    *(st.text(alphabet=chars, min_size=1, max_size=120) for chars in SCRIPTS.values()),
    st.text(alphabet=ALPHABET, min_size=0, max_size=600),
    st.text(min_size=0, max_size=60),  # anything at all, control characters included
    st.builds(
        lambda t, n: t * n, st.text(alphabet=ALPHABET, min_size=1, max_size=8), st.integers(1, 900)
    ),  # long runs, over the layout and over the limits
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), script_text)
any_value = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(script_text, inner, max_size=4),
    max_leaves=12,
)


# ----------------------------------------------------------------- the scratch project
@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of the test project; each example changes one file and puts it back."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(SMALL_PROJECT, root)
    return root


def paths_in(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_in(value, (*prefix, i))
    return found


def parent_of(data: Any, path: tuple) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def outcome(project: Path, file: str, content: bytes, lang: str) -> None:
    """Write `content` over `file`, build, check the property, restore the file."""
    target = project / "handouts" / TOPIC / file
    original = target.read_bytes()
    target.write_bytes(content)
    try:
        bundle_for.cache_clear()
        proj = Project(builtin_root(), project)
        job = Job(TOPIC, lang, "handout-a4", project / "out")
        result = build_one(proj, job, force=True)  # raises only for internal errors
        if result.status == "built":
            assert len(PdfReader(str(job.path)).pages) == 2
        else:
            assert result.status == "failed" and result.messages
            for message in result.messages:
                assert message.strip() and "Traceback" not in message
                assert "\n" not in message.strip(), message  # one line each
        with contextlib.suppress(UserError):  # `makebook check`: fine or a UserError
            check_all(proj, [TOPIC], [lang])
    finally:
        target.write_bytes(original)
        bundle_for.cache_clear()


@functools.lru_cache(maxsize=8)
def _parsed(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load(project: Path, file: str) -> Any:
    """The file as shipped in the test project (a fresh copy to change)."""
    return copy.deepcopy(_parsed(project / "handouts" / TOPIC / file))


# ----------------------------------------------------------------- properties
@given(data=st.data())
def test_random_text_in_a_translation(scratch, data):
    """Replace some strings of a translation (right to left) with random text from every
    shipped script."""
    content = load(scratch, "fa.yaml")
    strings = [p for p in paths_in(content) if isinstance(parent_of(content, p)[p[-1]], str)]
    strings = [p for p in strings if p[:2] != ("language", "code")]
    for path in data.draw(st.lists(st.sampled_from(strings), min_size=1, max_size=6)):
        parent_of(content, path)[path[-1]] = data.draw(script_text)
    outcome(scratch, "fa.yaml", dump_yaml(content).encode("utf-8"), "fa")


@given(data=st.data())
def test_deleted_renamed_and_retyped_keys(scratch, data):
    """Structural damage to a translation, the source language or the topic."""
    file, lang = data.draw(
        st.sampled_from(
            [("fa.yaml", "fa"), ("en.yaml", "en"), ("topic.yaml", "en"), ("topic.yaml", "fa")]
        )
    )
    content = load(scratch, file)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = paths_in(content)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent, key = parent_of(content, path), path[-1]
        action = data.draw(st.sampled_from(["delete", "rename", "retype"]))
        if action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[data.draw(script_text)] = parent.pop(key)
        else:
            parent[key] = data.draw(any_value)
    outcome(scratch, file, dump_yaml(content).encode("utf-8"), lang)


@given(data=st.data())
def test_random_yaml_and_bytes(scratch, data):
    """Whole files of random YAML, random bytes, or valid text with random bytes spliced in."""
    original = (scratch / "handouts" / TOPIC / "fa.yaml").read_bytes()
    kind = data.draw(st.sampled_from(["yaml", "bytes", "splice", "chars"]))
    if kind == "yaml":
        content = dump_yaml(data.draw(any_value)).encode("utf-8")
    elif kind == "bytes":
        content = data.draw(st.binary(max_size=2000))
    elif kind == "splice":
        at = data.draw(st.integers(0, len(original)))
        content = original[:at] + data.draw(st.binary(min_size=1, max_size=40)) + original[at:]
    else:
        text = original.decode("utf-8")
        at = data.draw(st.integers(0, len(text)))
        chars = st.text(alphabet=ALPHABET + "\t:-&*!|>{}[],#'\"%@`", min_size=1, max_size=20)
        content = (text[:at] + data.draw(chars) + text[at:]).encode("utf-8")
    outcome(scratch, "fa.yaml", content, "fa")
