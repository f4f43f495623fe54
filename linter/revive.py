"""Models made again from the JSON form of instances that already passed validation.

Validating a rule file or a format file is cheap once its models are built, but building a
pydantic model (its validator and serializer) costs about a millisecond each, and the rules,
their parameters and the formats have some forty models. The compiled cache
(``linter.compiled``) therefore keeps the validated form (``frozen(model)``), and a new
process makes the instances from it with ``revive(Model, data)``: field by field, nested
models and tuples as the annotations say, with ``model_construct``, which neither validates
again nor builds the validator. Only data that ``frozen`` wrote, in an entry whose checksum
holds, is ever revived; anything else comes from the source files through strict validation.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable

from pydantic import BaseModel


def frozen(instance: BaseModel) -> dict:
    """The JSON form that ``revive`` turns back into an equal instance."""
    return instance.model_dump(mode="json")


def revive(model: type[BaseModel], data: dict) -> BaseModel:
    """An instance of ``model`` equal to the one ``data`` was made from, without validation.
    Data of another shape raises (the caller then reads the source files)."""
    plan = _plans.get(model) or _plan(model)
    if not isinstance(data, dict) or data.keys() != plan.keys():
        raise TypeError(f"not the data of a {model.__name__}")
    values = {}
    for name, make in plan.items():
        value = data[name]
        values[name] = value if value is None or make is None else make(value)
    return model.model_construct(**values)


Make = Callable[[object], object] | None
_plans: dict[type, dict[str, Make]] = {}


def _plan(model: type[BaseModel]) -> dict[str, Make]:
    """How each field's JSON value becomes the value validation gives it (None: as it is)."""
    plan = _plans[model] = {name: _maker(field.annotation) for name, field in model.__pydantic_fields__.items()}
    return plan


def _maker(annotation) -> Make:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _maker(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda v: revive(annotation, v)
    if origin in (typing.Union, types.UnionType):
        by_shape = {_shape(a): _maker(a) for a in reversed(args) if a is not type(None)}
        by_shape.pop(None, None)
        if not any(by_shape.values()):
            return None
        return lambda v: make(v) if (make := by_shape.get(type(v))) else v
    if origin in (list, tuple, set, frozenset):
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            makes = [_maker(a) for a in args]
            return lambda v: tuple(x if m is None or x is None else m(x) for m, x in zip(makes, v))
        item = _maker(args[0]) if args else None
        kind = list if origin is list else origin
        return kind if item is None else lambda v: kind(x if x is None else item(x) for x in v)
    if origin is dict:
        item = _maker(args[1]) if args else None
        return dict if item is None else lambda v: {k: x if x is None else item(x) for k, x in v.items()}
    return None  # str, int, float, bool, a Literal: JSON keeps them as they are


def _shape(annotation) -> type | None:
    """The JSON type a value of ``annotation`` has (for choosing among a union's members)."""
    origin = typing.get_origin(annotation) or annotation
    if isinstance(origin, type) and issubclass(origin, BaseModel) or origin is dict:
        return dict
    if origin in (list, tuple, set, frozenset):
        return list
    return None
