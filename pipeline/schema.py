"""The one schema of both output tables, written once.

Every column's name, Arrow type, nullability, allowed values and description
live here. The Parquet writer, `datapackage.json`, the data dictionary in
the README and the structural half of the expectation suite are all
generated from these lists; `tests/test_schema.py` fails if any of them drift.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from .grammar.categories import NAMES

# One record per category, with its trigger words, lives in grammar/categories.py.
CATEGORIES = NAMES
QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "less_than", "about", "range", "vague")
SUBJECT_KINDS = (
    "people",
    "civilians",
    "children",
    "women",
    "fighters",
    "soldiers",
    "police",
    "medics",
    "journalists",
    "aid workers",
)
DATE_PRECISIONS = ("day", "period", "month", "year", "publication")
DOCUMENT_STATUSES = ("ok", "skipped", "failed")
INCIDENT_KINDS = ("event", "running_total")

LABEL = pa.dictionary(pa.int8(), pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    description: str
    allowed: tuple[str, ...] | None = None


STATEMENTS = (
    Column(
        "statement_id",
        pa.string(),
        False,
        "Stable id of the figure: the same input gives the same id on every run.",
    ),
    Column("doc_id", pa.string(), False, "Id of the article the figure comes from (see documents)."),
    Column(
        "incident_id",
        pa.string(),
        False,
        "The event the figure is about (see incidents): repetitions of one figure in an article, "
        "and the reports of the same event in other articles, share it.",
    ),
    Column("source_path", pa.string(), False, "Path of the raw file, relative to the raw folder."),
    Column(
        "record_id",
        pa.string(),
        True,
        "The record's `id` inside a multi-article file (JSON Lines); null for one-article files.",
    ),
    Column("publisher", pa.string(), True, "Outlet that published the article (from its metadata)."),
    Column("title", pa.string(), True, "Headline of the article."),
    Column("url", pa.string(), True, "Address of the article, where known."),
    Column(
        "published_date",
        pa.date32(),
        True,
        "Publication date, from metadata or else from a dateline in the text.",
    ),
    Column("category", LABEL, False, "What happened to the people counted.", CATEGORIES),
    Column(
        "count",
        pa.int64(),
        False,
        "The figure as an integer (a vague word takes its conventional value; a range its low end).",
    ),
    Column("count_min", pa.int64(), True, "Lowest number the words allow; null where open."),
    Column("count_max", pa.int64(), True, "Highest number the words allow; null where open."),
    Column("qualifier", LABEL, False, 'How exact the figure is ("at least" is at_least).', QUALIFIERS),
    Column("subject", pa.string(), True, 'The counted group as written ("pro-government fighters").'),
    Column("subject_kind", LABEL, False, "The kind of people counted.", SUBJECT_KINDS),
    Column(
        "parent_statement_id",
        pa.string(),
        True,
        'For a breakdown ("57 of them children"), the statement of the whole it is part of.',
    ),
    Column(
        "claimant",
        pa.string(),
        True,
        "Who the article says gave the figure, full name where the article gives it; "
        "null when the article states it in its own voice; one name per source across the table "
        "(the catalogue in pipeline/grammar/sources.toml, else the words tidied to title case).",
    ),
    Column(
        "claimant_text",
        pa.string(),
        True,
        'The claimant as the article wrote it ("the Observatory", "SOHR"); null with the claimant.',
    ),
    Column("perpetrator", pa.string(), True, "Who or what caused it, as written."),
    Column("location", pa.string(), True, "The place as written."),
    Column("event_date_start", pa.date32(), True, "First day the figure covers."),
    Column("event_date_end", pa.date32(), True, "Last day the figure covers."),
    Column(
        "date_precision",
        LABEL,
        False,
        "How the dates were found: a day, a period, a month, a year, or the publication date.",
        DATE_PRECISIONS,
    ),
    Column("is_cumulative", pa.bool_(), False, 'True for running totals ("the war has killed ...").'),
    Column("quote", pa.string(), False, "Shortest span holding the number and its trigger word."),
    Column("sentence", pa.string(), False, "The whole sentence the figure is in."),
    Column("char_start", pa.int32(), False, "Offset of the quote in the stored article text."),
    Column("char_end", pa.int32(), False, "End offset of the quote: `text[char_start:char_end] == quote`."),
    Column("extractor_version", pa.string(), False, "Version of the extractor that found the figure."),
    Column(
        "rules",
        pa.string(),
        False,
        "The extractor's rules that decided the figure's category, claimant and dates, as "
        '"link=after claimant=sentence dates=paragraph_before" (pipeline/extract/model.py names them).',
    ),
)

DOCUMENTS = (
    Column("doc_id", pa.string(), False, "Stable id of the article (or of the skipped file or record)."),
    Column("source_path", pa.string(), False, "Path of the raw file, relative to the raw folder."),
    Column(
        "record_id",
        pa.string(),
        True,
        "The record's `id` inside a JSON Lines file (its line number where it has none); "
        "null for one-article files.",
    ),
    Column("line_number", pa.int32(), True, "Line of the record in a JSON Lines file."),
    Column(
        "status",
        LABEL,
        False,
        "ok: read and searched for figures; skipped: the input could not be used (see reason); "
        "failed: the pipeline itself failed on it.",
        DOCUMENT_STATUSES,
    ),
    Column(
        "reason",
        pa.string(),
        True,
        "One line saying why the input was skipped or failed, or what was wrong with its metadata.",
    ),
    Column("publisher", pa.string(), True, "Outlet that published the article."),
    Column("title", pa.string(), True, "Headline of the article."),
    Column("url", pa.string(), True, "Address of the article, where known."),
    Column("published_date", pa.date32(), True, "Publication date, from metadata or a dateline."),
    Column("language", pa.string(), True, "Language code from the metadata."),
    Column("figure_count", pa.int32(), False, "How many figures were found in the article."),
    Column(
        "text",
        pa.string(),
        True,
        "Article text as stored (NFC Unicode, \\n line endings); the figures' offsets index it.",
    ),
)


# One row per incident and category: the fused toll and where it comes from (INCIDENTS.md).
INCIDENTS = (
    Column(
        "incident_id",
        pa.string(),
        False,
        "Id of the incident, named after its first report: the same input gives the same id.",
    ),
    Column(
        "kind",
        LABEL,
        False,
        "event: one attack, shooting or clash; running_total: a toll that keeps growing "
        '("the war has killed more than 300,000"), never merged into an event.',
        INCIDENT_KINDS,
    ),
    Column("category", LABEL, False, "What happened to the people counted.", CATEGORIES),
    Column(
        "count_best",
        pa.int64(),
        False,
        "The most likely toll: the latest report of the most specific kind, outliers set aside.",
    ),
    Column("count_low", pa.int64(), False, "The most conservative credible figure reported."),
    Column("count_high", pa.int64(), False, "The highest credible figure reported (upper bounds included)."),
    Column("best_statement_id", pa.string(), False, "The statement `count_best` comes from."),
    Column(
        "best_dead_statement_id",
        pa.string(),
        True,
        'Injured read from a figure of people shot that counts the dead too ("4 shot, 1 dead"): '
        "the killed statement subtracted from it, so `count_best` is that statement's count less "
        "this one's; null for every other toll.",
    ),
    Column("best_qualifier", LABEL, False, "Qualifier of that statement.", QUALIFIERS),
    Column("best_claimant", pa.string(), True, "Who gave that figure; null when the article said it."),
    Column("statement_count", pa.int64(), False, "Statements of this incident and category."),
    Column("document_count", pa.int64(), False, "Articles those statements come from."),
    Column("publishers", pa.list_(pa.string()), False, "Outlets that reported it (distinct, sorted)."),
    Column("claimants", pa.list_(pa.string()), False, "Sources the articles name for it (distinct, sorted)."),
    Column(
        "outlier_statement_ids",
        pa.list_(pa.string()),
        False,
        "Statements set aside as outliers (a roundup, a typo): far above every other report.",
    ),
    Column("first_published_date", pa.date32(), True, "Publication date of the first report."),
    Column("last_published_date", pa.date32(), True, "Publication date of the latest report."),
    Column("event_date_start", pa.date32(), True, "First day the reports cover."),
    Column("event_date_end", pa.date32(), True, "Last day the reports cover."),
    Column("location", pa.string(), True, "The most specific place the statements give."),
)


@dataclass(frozen=True)
class ForeignKey:
    column: str  # in the table that declares it
    table: str  # the table it points into
    key: str  # that table's column it must match (null never has to)


@dataclass(frozen=True)
class Table:
    name: str  # also the file: NAME.parquet
    columns: tuple[Column, ...]
    description: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()


# Every output table. datapackage.json (resources, keys) and the README's data dictionary
# are generated from this list, so a table added here is described everywhere.
TABLES = (
    Table(
        "statements",
        STATEMENTS,
        "One row per casualty or troop figure an article reports.",
        ("statement_id",),
        (ForeignKey("doc_id", "documents", "doc_id"), ForeignKey("incident_id", "incidents", "incident_id")),
    ),
    Table("documents", DOCUMENTS, "One row per raw file or record, with what became of it.", ("doc_id",)),
    Table(
        "incidents",
        INCIDENTS,
        "One row per incident and category: the fused toll of every report of one event.",
        ("incident_id", "category"),
        (
            ForeignKey("best_statement_id", "statements", "statement_id"),
            ForeignKey("best_dead_statement_id", "statements", "statement_id"),
        ),
    ),
)


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])


STATEMENTS_SCHEMA = arrow_schema(STATEMENTS)
DOCUMENTS_SCHEMA = arrow_schema(DOCUMENTS)
INCIDENTS_SCHEMA = arrow_schema(INCIDENTS)
# As the extract stage writes statements: their incidents are found afterwards, over the whole
# table, by the incidents stage, which rewrites the table in STATEMENTS_SCHEMA.
PENDING_STATEMENTS_SCHEMA = STATEMENTS_SCHEMA.set(
    STATEMENTS_SCHEMA.get_field_index("incident_id"),
    STATEMENTS_SCHEMA.field("incident_id").with_nullable(True),
)


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):
        return "string (dictionary)"
    if pa.types.is_list(t):
        return f"list<{t.value_type}>"
    return str(t)


def _frictionless_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_list(t):
        # A list of strings. Frictionless reads Parquet through pandas, which hands it a numpy
        # array that its "array" type (JSON text) refuses; "any" keeps the field checkable.
        return "any"
    return "string"


def resource(table: Table) -> dict:
    """The Frictionless Data Resource of one table: fields, primary and foreign keys."""
    fields = []
    for c in table.columns:
        constraints: dict[str, bool | list[str]] = {"required": not c.nullable}
        if c.allowed:
            constraints["enum"] = list(c.allowed)
        field = {
            "name": c.name,
            "type": _frictionless_type(c.type),
            "description": c.description,
            "constraints": constraints,
        }
        fields.append(field)
    table_schema = {"fields": fields, "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        table_schema["foreignKeys"] = [
            {"fields": [k.column], "reference": {"resource": k.table, "fields": [k.key]}}
            for k in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"{table.name}.parquet",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "description": table.description,
        "schema": table_schema,
    }


def datapackage() -> dict:
    """The part of the Frictionless Data Package descriptor the schema decides; load.py adds
    what only a run knows (version, creation time, sources)."""
    return {
        "name": "casualty-figures",
        "title": "Casualty and troop figures reported in news articles",
        "resources": [resource(table) for table in TABLES],
    }


def data_dictionary() -> str:
    """Markdown tables of both outputs, for the README."""
    lines = []
    for table in TABLES:
        columns = table.columns
        lines += [
            f"#### `{table.name}.parquet`",
            "",
            "| column | type | null | description |",
            "|---|---|---|---|",
        ]
        for c in columns:
            text = c.description
            if c.allowed:
                text += " One of: " + ", ".join(f"`{v}`" for v in c.allowed) + "."
            lines.append(f"| `{c.name}` | {_type_name(c.type)} | {'yes' if c.nullable else 'no'} | {text} |")
        lines.append("")
    return "\n".join(lines)


def _expect(kind: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs}


def _where(column: str, operator: str, value: str) -> dict:
    """A GX 1.x row condition, as the suite JSON stores it."""
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": value}


def _bound(greater: str, lesser: str, *, or_equal: bool, where: dict) -> dict:
    """greater >= lesser (or >) on the rows where both are set and the condition holds."""
    return _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A=greater,
        column_B=lesser,
        or_equal=or_equal,
        ignore_row_if="either_value_is_missing",
        row_condition=where,
    )


# Checks on meaning, beyond what the column list implies. Each says why it exists.
SEMANTIC_EXPECTATIONS = (
    # A count of people is never negative.
    _expect("expect_column_values_to_be_between", column="count", min_value=0),
    # The bounds bracket the figure: count_min <= count <= count_max where they are set,
    # except that FIGURES.md bounds "more than 50" at 51 and "fewer than 50" at 49:
    # there the bound lies strictly beyond the count.
    _bound("count", "count_min", or_equal=True, where=_where("qualifier", "!=", "more_than")),
    _bound("count_min", "count", or_equal=False, where=_where("qualifier", "==", "more_than")),
    _bound("count_max", "count", or_equal=True, where=_where("qualifier", "!=", "less_than")),
    _bound("count", "count_max", or_equal=False, where=_where("qualifier", "==", "less_than")),
    # Ids join tables and track figures across refreshes, so they must be unique.
    _expect("expect_column_values_to_be_unique", column="statement_id"),
    # Every quote is a non-empty span of the text.
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="char_end",
        column_B="char_start",
        or_equal=False,
        ignore_row_if="either_value_is_missing",
    ),
    _expect("expect_column_values_to_be_between", column="char_start", min_value=0),
    # A report cannot cover days after it was published.
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="published_date",
        column_B="event_date_end",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="event_date_end",
        column_B="event_date_start",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
)


def expectation_suite() -> dict:
    """The statements suite: structural checks from the columns, then SEMANTIC_EXPECTATIONS."""
    return _suite("statements", STATEMENTS, SEMANTIC_EXPECTATIONS)


def _suite(name: str, columns: tuple[Column, ...], semantic: tuple[dict, ...]) -> dict:
    expectations = [
        _expect("expect_table_columns_to_match_ordered_list", column_list=[c.name for c in columns])
    ]
    for c in columns:
        if not c.nullable:
            expectations.append(_expect("expect_column_values_to_not_be_null", column=c.name))
        if c.allowed:
            expectations.append(
                _expect("expect_column_values_to_be_in_set", column=c.name, value_set=list(c.allowed))
            )
    expectations += semantic
    return {
        "name": name,
        "meta": {"generated_by": "python -m pipeline schema --write"},
        "expectations": expectations,
    }


# The incidents suite: columns from INCIDENTS, then these checks on meaning.
INCIDENT_EXPECTATIONS = (
    # One row per incident and category: the table's key.
    _expect("expect_compound_columns_to_be_unique", column_list=["incident_id", "category"]),
    # The fused toll lies inside its own bounds, and none is negative.
    _expect("expect_column_values_to_be_between", column="count_low", min_value=0),
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="count_best",
        column_B="count_low",
        or_equal=True,
    ),
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="count_high",
        column_B="count_best",
        or_equal=True,
    ),
    # A toll comes from at least one statement, in at least one article.
    _expect("expect_column_values_to_be_between", column="statement_count", min_value=1),
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="statement_count",
        column_B="document_count",
        or_equal=True,
    ),
    # Dates in order: first report before the latest, and the days covered in order.
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="last_published_date",
        column_B="first_published_date",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
    _expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A="event_date_end",
        column_B="event_date_start",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
)


def incidents_suite() -> dict:
    """The incidents suite. That every statement's incident is in the table is a check across
    the two tables, which the validate stage makes beside this suite."""
    return _suite("incidents", INCIDENTS, INCIDENT_EXPECTATIONS)
