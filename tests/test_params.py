"""The shared parameter validator: types, ranges, choices, paths, unknown names, constraints."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.engine.paths import expand_user
from helpers.params import Constraint, Param, ParameterError, ParameterSet, ParamSpec, param

SPEC = ParamSpec(
    (
        Param("n", int, 10, "a count", minimum=1, maximum=100),
        Param("rate", float, 0.5, "a rate", minimum=0, maximum=1, minimum_exclusive=True, maximum_exclusive=True),
        Param("method", str, "a", "a choice", choices=("a", "b")),
        Param("flag", bool, False, "a switch"),
        Param("k", int, 3, "at most n", minimum=0),
        Param("data_path", str, "", "a file", is_path=True),
    ),
    constraints=(Constraint(("k", "n"), lambda p: p["k"] <= p["n"], "at most n"),),
)


def test_defaults_validate_to_themselves():
    assert SPEC.validate() == SPEC.defaults()


def test_int_is_accepted_for_float_and_converted():
    out = SPEC.validate(rate=0.25)
    assert out["rate"] == 0.25 and isinstance(out["rate"], float)
    spec = ParamSpec((Param("x", float, 1.0, "x", minimum=0),))
    assert spec.validate(x=3)["x"] == 3.0 and isinstance(spec.validate(x=3)["x"], float)


@pytest.mark.parametrize(
    "name, value, fragment",
    [
        ("n", 0, "expected an integer in [1, 100]"),
        ("n", 101, "expected an integer in [1, 100]"),
        ("n", 2.5, "expected an integer in [1, 100]"),
        ("n", True, "expected an integer"),
        ("n", "7", "expected an integer"),
        ("rate", 0.0, "expected a number in (0, 1)"),
        ("rate", 1.0, "expected a number in (0, 1)"),
        ("rate", 1.5, "expected a number in (0, 1)"),
        ("rate", math.nan, "not finite"),
        ("rate", "0.6", "expected a number"),
        ("method", "c", "expected one of a, b"),
        ("flag", 1, "expected true or false"),
        ("data_path", "/no/such/file.csv", "no such file"),
    ],
)
def test_bad_values_name_parameter_value_and_what_is_allowed(name, value, fragment):
    with pytest.raises(ParameterError) as err:
        SPEC.validate({name: value})
    message = str(err.value)
    assert f"parameter '{name}'" in message
    assert repr(value) in message
    assert fragment in message
    assert "\n" not in message
    assert err.value.name == name


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(
        ParameterError, match=r"unknown parameter 'nn' \(did you mean 'n'\?\): expected one of n, rate, method"
    ):
        SPEC.validate(nn=3)


def test_constraint_names_both_parameters():
    with pytest.raises(ParameterError, match=r"parameter 'k' = 11 is not allowed with n = 10: expected at most n"):
        SPEC.validate(k=11)
    assert SPEC.validate(k=20, n=20)["k"] == 20


def test_path_parameter_resolves_existing_file(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    assert SPEC.validate(data_path=str(f))["data_path"] == str(f.resolve())
    assert SPEC.validate(data_path="")["data_path"] == ""


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("n", "42", 42),
        ("rate", "0.6", 0.6),
        ("rate", "1e-3", 0.001),
        ("flag", "true", True),
        ("flag", "No", False),
        ("method", "b", "b"),
    ],
)
def test_parse_text_as_declared_type(name, text, expected):
    assert SPEC.parse([(name, text)]) == {name: expected}


@pytest.mark.parametrize("name, text", [("n", "4.0"), ("n", "abc"), ("rate", "abc"), ("flag", "maybe")])
def test_parse_rejects_text_of_the_wrong_type(name, text):
    with pytest.raises(ParameterError, match=rf"parameter '{name}' = '{text}'"):
        SPEC.parse([(name, text)])


def test_file_values_parse_text_but_keep_typed_values():
    assert SPEC.coerce_file_values({"rate": "1e-3", "n": 5}) == {"rate": 0.001, "n": 5}
    with pytest.raises(ParameterError):
        SPEC.coerce_file_values({"n": 5.5})


def test_from_namespace_requires_every_parameter():
    ns = dict(SPEC.defaults(), unrelated=object())
    assert SPEC.from_namespace(ns) == SPEC.defaults()
    del ns["rate"]
    with pytest.raises(ParameterError, match="rate"):
        SPEC.from_namespace(ns)


def test_a_declaration_cannot_contradict_itself():
    with pytest.raises(ParameterError):
        Param("x", int, 0, "x", minimum=1)
    with pytest.raises(ValueError, match="twice"):
        ParamSpec((Param("x", int, 1, "x"), Param("x", int, 1, "x")))
    with pytest.raises(ParameterError):
        ParamSpec(
            (Param("a", int, 5, "a"), Param("b", int, 1, "b")),
            (Constraint(("a", "b"), lambda p: p["a"] <= p["b"], "at most b"),),
        )


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_integer_range_is_exactly_enforced(value):
    if 1 <= value <= 100:
        assert SPEC.validate(n=value, k=0)["n"] == value
    else:
        with pytest.raises(ParameterError):
            SPEC.validate(n=value, k=0)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_open_float_range_is_exactly_enforced(value):
    if math.isfinite(value) and 0 < value < 1:
        assert SPEC.validate(rate=value)["rate"] == value
    else:
        with pytest.raises(ParameterError):
            SPEC.validate(rate=value)


def test_frame_lists_value_used_and_allowed():
    frame = SPEC.table(SPEC.validate(n=12))
    row = frame.set_index("name").loc["n"]
    assert row["value used"] == "12" and row["default"] == "10" and row["allowed"] == "an integer in [1, 100]"


def test_parsed_values_are_reported_as_typed():
    with pytest.raises(ParameterError, match=r"parameter 'n' = '0' is not allowed: expected an integer in \[1, 100\]"):
        SPEC.parse([("n", "0")])


# -- folder parameters (path_kind="dir") -------------------------------------------
DIR_SPEC = ParamSpec((Param("data_dir", str, "", "a folder of files", is_path=True, path_kind="dir"),))


def test_path_parameters_are_files_by_default():
    assert SPEC["data_path"].path_kind == "file"
    assert SPEC["data_path"].allowed() == "a path to an existing file, or '' for none"


def test_folder_parameter_resolves_an_existing_folder(tmp_path):
    assert DIR_SPEC.validate(data_dir=str(tmp_path))["data_dir"] == str(tmp_path.resolve())
    assert DIR_SPEC.validate(data_dir="")["data_dir"] == ""
    assert DIR_SPEC.path_params == ("data_dir",)
    assert DIR_SPEC["data_dir"].allowed() == "a path to an existing folder, or '' for none"


def test_folder_parameter_rejects_a_file_and_a_missing_folder(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    for value in (str(f), str(tmp_path / "missing")):
        with pytest.raises(ParameterError) as err:
            DIR_SPEC.validate(data_dir=value)
        assert str(err.value) == (
            f"parameter 'data_dir' = {value!r} is not allowed (no such folder): "
            "expected a path to an existing folder, or '' for none"
        )
    with pytest.raises(ParameterError, match=r"no such file"):  # and a file parameter rejects a folder
        SPEC.validate(data_path=str(tmp_path))


def test_folder_parameter_parses_command_line_text(tmp_path):
    assert DIR_SPEC["data_dir"].parse(str(tmp_path)) == str(tmp_path.resolve())


def test_path_kind_is_checked_in_the_declaration():
    with pytest.raises(TypeError, match="path_kind 'folder' is not one of file, dir"):
        Param("d", str, "", "d", is_path=True, path_kind="folder")


# ---------------------------------------------------------------- typed parameters (a ParameterSet class)
class Typed(
    ParameterSet,
    constraints=(Constraint(("k", "n"), lambda p: p["k"] <= p["n"], "at most n"),),
):
    n: int = param(10, "a count", minimum=1, maximum=100)
    rate: float = param(0.5, "a rate", minimum=0, maximum=1)
    method: str = param("a", "a choice", choices=("a", "b"))
    k: int = param(3, "at most n", minimum=0)


TYPED = ParamSpec.of(Typed)


def test_a_parameter_class_declares_names_types_and_order_once():
    assert TYPED.names == ("n", "rate", "method", "k")
    assert [p.type for p in TYPED] == [int, float, str, int]
    assert TYPED["rate"].allowed() == "a number in [0, 1]"


def test_validation_returns_typed_attributes_that_are_also_a_read_only_mapping():
    p = TYPED.validate(rate=1, n=20)
    assert isinstance(p, Typed) and p.n == 20 and p.rate == 1.0 and isinstance(p.rate, float)
    assert p == {"n": 20, "rate": 1.0, "method": "a", "k": 3} and list(p) == ["n", "rate", "method", "k"]
    assert dict(p) == {**p} and p["method"] == "a"
    with pytest.raises(AttributeError, match="read-only"):
        p.n = 5
    with pytest.raises(TypeError):
        p["n"] = 5  # type: ignore[index]


def test_replace_validates_again_and_keeps_the_class():
    p = TYPED.validate()
    q = p.replace(method="b")
    assert isinstance(q, Typed) and q.method == "b" and p.method == "a"
    with pytest.raises(ParameterError, match=r"parameter 'k' = 50 is not allowed with n = 10: expected at most n"):
        p.replace(k=50)
    with pytest.raises(ParameterError, match="unknown parameter 'nn'"):
        p.replace(nn=1)


def test_typed_parameters_survive_pickling_for_dask_workers():
    p = TYPED.validate(n=7)
    again = pickle.loads(pickle.dumps(p))
    assert again == p and isinstance(again, Typed) and again.n == 7


def test_a_half_declared_parameter_is_refused_by_name():
    with pytest.raises(TypeError, match=r"Bad\.n: a parameter is declared with param"):

        class Bad(ParameterSet):
            n: int

    with pytest.raises(TypeError, match=r"Untyped\.n: param\(\) needs a type annotation"):

        class Untyped(ParameterSet):
            n = param(1, "a count")

    with pytest.raises(TypeError, match="unsupported type"):

        class Listed(ParameterSet):
            n: list = param([1], "a list")


# -- a home folder that does not exist ------------------------------------------------
@pytest.mark.parametrize("value", ["~no_such_user_zq/records.csv", "~no_such_user_zq"])
def test_a_path_under_an_unknown_users_home_is_not_found_not_a_crash(value, monkeypatch, tmp_path):
    """``~user`` with no such user (found by the fuzz: Python's expanduser raises RuntimeError) is
    left as written, as a shell leaves it, and so is reported as a path that does not exist."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParameterError, match=r"parameter 'data_path' = .* is not allowed \(no such file\)"):
        SPEC.validate(data_path=value)
    assert expand_user(value) == Path(value)
    assert expand_user("~/x") == Path.home() / "x" and expand_user(tmp_path) == tmp_path
