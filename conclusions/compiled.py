"""A query compiled once and run many times with new values."""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler


class CompiledOnce:
    """A `values_list` query compiled once per database, then run with each call's values.
    Django compiles a queryset anew on every run although only its values change: for the
    seats' eight joins, which every request that looks at a case reads, that was 0.5 ms of
    processor time against 0.1 ms to run the SQL. `build(**placeholders)` makes the query;
    each placeholder is a value no other parameter of it has, where each run puts its own.
    Where that cannot be seen in the compiled parameters (a backend that adapts the value,
    as SQLite does dates) or the rows need converting, every run goes through the ORM."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], **placeholders):
        self.model, self.build, self.placeholders = model, build, placeholders
        self._compiled: dict[str, tuple[str, list[tuple[str | None, object]]] | None] = {}

    def rows(self, **values) -> list[tuple]:
        alias = router.db_for_read(self.model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        compiled = self._compiled[alias]
        if compiled is None:
            return list(self.build(**values).using(alias))
        sql, slots = compiled
        params = [value if name is None else values[name] for name, value in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, alias: str) -> tuple[str, list[tuple[str | None, object]]] | None:
        compiler = self.build(**self.placeholders).using(alias).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        names = {(type(v), v): name for name, v in self.placeholders.items()}
        slots = [(names.get((type(p), p)), p) for p in params]
        found = {name for name, _value in slots if name is not None}
        if found != set(self.placeholders) or _converters(compiler):
            return None
        return sql, slots


def _converters(compiler: SQLCompiler) -> dict:
    """What turns a compiled query's columns into Python values (the fields' and the
    backend's), as the ORM looks it up for its rows."""
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    return compiler.get_converters(columns)


class ModelsCompiledOnce:
    """Model instances, as the ORM reads them (select_related, annotations), of a query
    compiled once per shape and database, then run with each call's values. `build(**values)`
    makes the queryset; an int value, or a frozenset of ints (an IN list), is a parameter;
    anything else (a flag) and the size of each set make the shape. For a case's page and a
    transition that was the scoped, five-way `select_related` query compiled on every request:
    a third of a start's processor time. A shape whose stand-ins cannot all be found in the
    compiled parameters, or that selects nothing, goes through the ORM every time."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self.model, self.build = model, build
        self._compiled: dict[tuple, _Template | None] = {}

    def instances(self, **values) -> list[Model]:
        alias = router.db_for_read(self.model)
        shape = (alias, *sorted((name, _shape_of(value)) for name, value in values.items()))
        if shape not in self._compiled:
            self._compiled[shape] = _Template.compile(self.build, alias, values)
        template = self._compiled[shape]
        if template is None:
            return list(self.build(**values).using(alias))
        return template.run(values, connections[alias])


def _shape_of(value) -> object:
    if isinstance(value, frozenset):
        return ("set", len(value))
    return "int" if type(value) is int else ("flag", value)


_STAND_IN_BASE = -(2**62)  # parameters no real id or flag takes


class _Template:
    def __init__(self, query, compiler, sql: str, slots: list[tuple[str | None, object]]):
        self.query, self.compiler, self.sql, self.slots = query, compiler, sql, slots
        # The same for every run: looked up once (for the case's 90 columns, 4% of a start).
        self.converters = _converters(compiler)

    @classmethod
    def compile(cls, build, alias: str, values: dict) -> "_Template | None":
        stand_ins, places = {}, {}
        for name, value in values.items():
            if isinstance(value, frozenset):
                first = _STAND_IN_BASE + len(places)
                stand_ins[name] = frozenset(range(first, first + len(value)))
                places |= {n: (name, i) for i, n in enumerate(sorted(stand_ins[name]))}
            elif type(value) is int:
                stand_ins[name] = _STAND_IN_BASE + len(places)
                places[stand_ins[name]] = (name, None)
            else:
                stand_ins[name] = value
        query = build(**stand_ins).using(alias).query
        compiler = query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        slots = [(places.get(p) if type(p) is int else None, p) for p in params]
        if {place for place, _p in slots if place} != set(places.values()):
            return None
        return cls(query, compiler, sql, slots)

    def run(self, values: dict, connection) -> list[Model]:
        ordered = {n: sorted(v) for n, v in values.items() if isinstance(v, frozenset)}
        params = [
            value if place is None else _value_at(values, ordered, *place)
            for place, value in self.slots
        ]
        compiler = _Compiled(self.compiler, connection, (self.sql, params), self.converters)
        query = self.query.chain()
        query.get_compiler = lambda *args, **kwargs: compiler  # the ORM's rows from this SQL
        return list(QuerySet(query.model, query=query, using=connection.alias))


def _value_at(values: dict, ordered: dict, name: str, index: int | None):
    return values[name] if index is None else ordered[name][index]


class _Compiled(SQLCompiler):
    """A compiler that has already compiled: the template's select (which the ORM's rows are
    made from) and converters, with this run's SQL parameters, on this thread's connection."""

    def __init__(self, template: SQLCompiler, connection, compiled, converters) -> None:
        self.__dict__.update(template.__dict__)
        self.connection, self.compiled, self.converters = connection, compiled, converters

    def as_sql(self, *args, **kwargs):
        return self.compiled

    def get_converters(self, expressions):
        return self.converters
