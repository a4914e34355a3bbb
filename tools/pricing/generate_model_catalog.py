#!/usr/bin/env python3
"""Derives ACC's model price catalog (a Flyway migration) from LiteLLM's public price list.

    python3 tools/pricing/generate_model_catalog.py \
        [--source ../shared/reference/model_prices_and_context_window.json] \
        [--out migrations/src/main/resources/db/migration/V2__model_catalog.sql]

The JSON is read with every number parsed as a decimal from its original text (never through a
binary float), so "3e-06" becomes exactly 0.000003 in the SQL. The output is deterministic:
rows sorted by provider, then model. See docs/PRICING.md for what is priced and why.

With --update the script writes only idempotent upserts (no CREATE TABLE), for a later migration
version once V2 has been applied somewhere (Flyway never re-runs an applied, checksummed file).
"""

import argparse
import decimal
import hashlib
import json
import os
import sys
from collections import Counter, OrderedDict

D = decimal.Decimal

SOURCE_TAG = "litellm-2025-12"
OVERRIDE_TAG = "override"

# litellm_provider value -> ACC provider family. Only these providers enter the catalog.
PROVIDERS = OrderedDict([
    ("openai", "openai"),
    ("text-completion-openai", "openai"),
    ("anthropic", "anthropic"),
    ("gemini", "gemini"),
    ("mistral", "mistral"),
    ("codestral", "mistral"),
    ("text-completion-codestral", "mistral"),
    ("deepseek", "deepseek"),
    ("xai", "xai"),
    ("groq", "groq"),
    ("openrouter", "openrouter"),
    ("together_ai", "together_ai"),
    ("fireworks_ai", "fireworks_ai"),
    ("fireworks_ai-embedding-models", "fireworks_ai"),
    ("bedrock", "bedrock"),
    ("bedrock_converse", "bedrock"),
    ("azure", "azure"),
    ("azure_text", "azure"),
    ("azure_ai", "azure_ai"),
])


def provider_family(litellm_provider):
    if litellm_provider is None:
        return None
    if litellm_provider in PROVIDERS:
        return PROVIDERS[litellm_provider]
    # vertex_ai, vertex_ai-language-models, vertex_ai-anthropic_models, ... are all Vertex AI.
    if litellm_provider == "vertex_ai" or litellm_provider.startswith("vertex_ai-"):
        return "vertex_ai"
    return None


# Modes priced per token. Image, audio, video, rerank, OCR and search entries are priced per
# image / second / query and are out of the catalog's scope.
MODES = ("chat", "embedding", "completion", "responses")

# Price columns, named exactly like the LiteLLM keys they come from (USD per token).
PRICE_COLUMNS = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "cache_creation_input_token_cost_above_1hr",
    "output_cost_per_reasoning_token",
    "input_cost_per_token_above_128k_tokens",
    "output_cost_per_token_above_128k_tokens",
    "input_cost_per_token_above_200k_tokens",
    "output_cost_per_token_above_200k_tokens",
    "cache_read_input_token_cost_above_200k_tokens",
    "cache_creation_input_token_cost_above_200k_tokens",
]

CAPABILITY_COLUMNS = [
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_tool_choice",
    "supports_vision",
    "supports_response_schema",
    "supports_reasoning",
    "supports_prompt_caching",
    "supports_system_messages",
    "supports_pdf_input",
    "supports_audio_input",
    "supports_audio_output",
    "supports_web_search",
    "supports_computer_use",
]

# Known errors in the snapshot, corrected on purpose. Each names the value it expects to find, so
# a newer snapshot that fixed (or changed) it makes the generator stop and ask for a review.
# Anthropic bills a 1-hour cache write at 2x the base input price (5-minute: 1.25x); these Claude 3
# entries carry Sonnet's $6/MTok for every model, which for Opus 3 is even below the base input.
CORRECTIONS = [
    ("claude-3-opus-20240229", "cache_creation_input_token_cost_above_1hr", "0.000006", "0.00003"),
    ("claude-3-opus-latest", "cache_creation_input_token_cost_above_1hr", "0.000006", "0.00003"),
    ("claude-3-haiku-20240307", "cache_creation_input_token_cost_above_1hr", "0.000006", "0.0000005"),
    ("claude-3-5-haiku-20241022", "cache_creation_input_token_cost_above_1hr", "0.000006", "0.0000016"),
    ("claude-3-5-haiku-latest", "cache_creation_input_token_cost_above_1hr", "0.000006", "0.000002"),
]
CORRECTION_NOTE = ("1h cache-write price corrected to 2x input (Anthropic pricing); "
                   "the LiteLLM snapshot lists 0.000006 for every Claude 3 model")

# The built-in mock models: priced exactly like a real model so quotas and budgets behave
# realistically offline. Prices, limits and capabilities are copied from the named entry at
# generation time, minus what a local mock cannot do (server-side tools, audio, PDFs).
MOCK_MODELS = [
    ("mock-small", "gpt-4o-mini"),
    ("mock-large", "claude-sonnet-4-5"),
]
MOCK_WITHOUT = ["supports_web_search", "supports_computer_use", "supports_audio_input",
                "supports_audio_output", "supports_pdf_input"]

CREATE_TABLES = """\
-- router-service: the model price catalog. USD per token, exact decimals; NULL = not priced
-- separately (see docs/PRICING.md for the fallbacks). Written by generated migrations only.
CREATE TABLE model_prices (
    model                                              TEXT        PRIMARY KEY CHECK (length(model) BETWEEN 1 AND 300),
    provider                                           TEXT        NOT NULL CHECK (length(provider) BETWEEN 1 AND 100),
    litellm_provider                                   TEXT,
    -- chat | embedding | completion | responses; validated by the loader (unknown modes are skipped).
    mode                                               TEXT        NOT NULL,
{price_columns},
    context_window                                     INTEGER     CHECK (context_window IS NULL OR context_window > 0),
    max_output_tokens                                  INTEGER     CHECK (max_output_tokens IS NULL OR max_output_tokens > 0),
    output_vector_size                                 INTEGER     CHECK (output_vector_size IS NULL OR output_vector_size > 0),
{capability_columns},
    deprecation_date                                   DATE,
    source                                             TEXT        NOT NULL CHECK (source IN ('{source_tag}', '{override_tag}')),
    notes                                              TEXT,
    created_at                                         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                                         TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE model_prices IS 'owner: router-service';
CREATE INDEX model_prices_provider_idx ON model_prices (provider);

-- router-service: per-tenant negotiated prices. A NULL price inherits the catalog's, field by
-- field. A row whose model is not in the catalog defines a tenant-only model and then needs
-- at least the input and output prices.
CREATE TABLE tenant_price_overrides (
    id                                                 UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                                          UUID        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model                                              TEXT        NOT NULL CHECK (length(model) BETWEEN 1 AND 300),
{override_price_columns},
    notes                                              TEXT,
    created_at                                         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                                         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, model)
);
COMMENT ON TABLE tenant_price_overrides IS 'owner: router-service';
"""


def price_column_ddl():
    return ",\n".join("    {:<50} NUMERIC     CHECK ({} IS NULL OR {} >= 0)".format(c, c, c) for c in PRICE_COLUMNS)


def capability_ddl():
    return ",\n".join("    {:<50} BOOLEAN     NOT NULL DEFAULT FALSE".format(c) for c in CAPABILITY_COLUMNS)


def plain(value):
    """Exact decimal as SQL literal text, never in scientific notation."""
    if isinstance(value, bool):
        raise ValueError("boolean where a number was expected")
    if isinstance(value, int):
        value = D(value)
    if not isinstance(value, D):
        raise ValueError("not a number: %r" % (value,))
    text = format(value.normalize(), "f")
    return text


def as_int(value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("boolean where an integer was expected")
    number = D(value) if isinstance(value, int) else value
    if number != number.to_integral_value():
        raise ValueError("not an integer: %r" % (value,))
    return int(number)


def sql_text(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def derive_row(name, entry, warnings):
    """One catalog row from one LiteLLM entry, or None (with a reason) when it is out of scope."""
    family = provider_family(entry.get("litellm_provider"))
    if family is None:
        return None, "provider"
    if entry.get("mode") not in MODES:
        return None, "mode"
    if "input_cost_per_token" not in entry:
        return None, "no per-token input price"
    if "output_cost_per_token" not in entry and entry["mode"] != "embedding":
        return None, "no per-token output price"

    prices = OrderedDict((c, entry.get(c)) for c in PRICE_COLUMNS)
    # DeepSeek calls its cache-read price input_cost_per_token_cache_hit.
    if prices["cache_read_input_token_cost"] is None and entry.get("input_cost_per_token_cache_hit") is not None:
        prices["cache_read_input_token_cost"] = entry["input_cost_per_token_cache_hit"]
    for c, v in prices.items():
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, D)) or D(v) < 0):
            raise ValueError("%s: invalid %s %r" % (name, c, v))

    context_window = as_int(entry.get("max_input_tokens"))
    if context_window is None and entry["mode"] == "embedding":
        context_window = as_int(entry.get("max_tokens"))
    max_output = as_int(entry.get("max_output_tokens"))
    if context_window is not None and context_window <= 0:
        warnings.append("%s: non-positive context window %s dropped" % (name, context_window))
        context_window = None
    if max_output is not None and max_output <= 0:
        warnings.append("%s: non-positive max output %s dropped" % (name, max_output))
        max_output = None

    deprecation = entry.get("deprecation_date")
    if deprecation is not None and (len(deprecation) != 10 or deprecation[4] != "-" or deprecation[7] != "-"):
        warnings.append("%s: unreadable deprecation_date %r dropped" % (name, deprecation))
        deprecation = None

    return OrderedDict([
        ("model", name),
        ("provider", family),
        ("litellm_provider", entry.get("litellm_provider")),
        ("mode", entry["mode"]),
        ("prices", prices),
        ("context_window", context_window),
        ("max_output_tokens", max_output),
        ("output_vector_size", as_int(entry.get("output_vector_size"))),
        ("capabilities", OrderedDict((c, bool(entry.get(c, False))) for c in CAPABILITY_COLUMNS)),
        ("deprecation_date", deprecation),
        ("source", SOURCE_TAG),
        ("notes", None),
    ]), None


def apply_corrections(rows):
    for model, column, expected, corrected in CORRECTIONS:
        row = rows.get(model)
        if row is None:
            sys.exit("correction for %s: model not in the catalog any more; review CORRECTIONS" % model)
        found = row["prices"][column]
        if found is None or D(found) != D(expected):
            sys.exit("correction for %s.%s: expected %s in the source, found %s; review CORRECTIONS"
                     % (model, column, expected, found))
        row["prices"][column] = D(corrected)
        row["source"] = OVERRIDE_TAG
        row["notes"] = CORRECTION_NOTE


def mock_rows(rows):
    out = []
    for mock, template in MOCK_MODELS:
        base = rows.get(template)
        if base is None:
            sys.exit("mock model %s: template %s missing from the source" % (mock, template))
        row = OrderedDict(base)
        row["prices"] = OrderedDict(base["prices"])
        row["capabilities"] = OrderedDict(base["capabilities"])
        for capability in MOCK_WITHOUT:
            row["capabilities"][capability] = False
        row.update(model=mock, provider="mock", litellm_provider=None, deprecation_date=None,
                   source=OVERRIDE_TAG, notes="built-in mock model, priced exactly like " + template)
        out.append(row)
    return out


def row_values(row):
    values = [sql_text(row["model"]), sql_text(row["provider"]), sql_text(row["litellm_provider"]), sql_text(row["mode"])]
    values += ["NULL" if v is None else plain(v) for v in row["prices"].values()]
    values += ["NULL" if row[c] is None else str(row[c]) for c in ("context_window", "max_output_tokens", "output_vector_size")]
    values += ["TRUE" if v else "FALSE" for v in row["capabilities"].values()]
    values += ["NULL" if row["deprecation_date"] is None else "DATE '%s'" % row["deprecation_date"]]
    values += [sql_text(row["source"]), sql_text(row["notes"])]
    return "(" + ", ".join(values) + ")"


INSERT_COLUMNS = (["model", "provider", "litellm_provider", "mode"] + PRICE_COLUMNS
                  + ["context_window", "max_output_tokens", "output_vector_size"] + CAPABILITY_COLUMNS
                  + ["deprecation_date", "source", "notes"])


def render(rows_by_provider, source_name, source_sha256, counts, update):
    lines = [
        "-- GENERATED FILE - do not edit by hand. Regenerate with tools/pricing/generate_model_catalog.py",
        "-- (see docs/PRICING.md). Source: %s, sha256 %s" % (source_name, source_sha256),
        "-- (LiteLLM model price list, MIT licence, snapshot %s)." % SOURCE_TAG.split("-", 1)[1],
        "-- Rows per provider: " + ", ".join("%s %d" % (p, n) for p, n in sorted(counts.items())),
        "-- Prices are USD per token, copied digit for digit from the source's decimal text.",
        "",
    ]
    if not update:
        lines.append(CREATE_TABLES.format(
            price_columns=price_column_ddl(),
            capability_columns=capability_ddl(),
            override_price_columns=",\n".join(
                "    {:<50} NUMERIC     CHECK ({} IS NULL OR {} >= 0)".format(c, c, c) for c in PRICE_COLUMNS),
            source_tag=SOURCE_TAG, override_tag=OVERRIDE_TAG))
    upsert = ""
    if update:
        upsert = "\nON CONFLICT (model) DO UPDATE SET " + ", ".join(
            "%s = EXCLUDED.%s" % (c, c) for c in INSERT_COLUMNS if c != "model") + ", updated_at = now()"
    for provider in sorted(rows_by_provider):
        rows = rows_by_provider[provider]
        lines.append("-- %s: %d models" % (provider, len(rows)))
        lines.append("INSERT INTO model_prices (" + ", ".join(INSERT_COLUMNS) + ") VALUES")
        lines.append(",\n".join(row_values(r) for r in rows) + upsert + ";")
        lines.append("")
    return "\n".join(lines)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=os.path.join(repo, "..", "shared", "reference",
                                                         "model_prices_and_context_window.json"))
    parser.add_argument("--out", default=os.path.join(repo, "migrations", "src", "main", "resources", "db",
                                                      "migration", "V2__model_catalog.sql"))
    parser.add_argument("--update", action="store_true",
                        help="write upserts only (for a later migration version), no CREATE TABLE")
    args = parser.parse_args()

    source = args.source
    if not os.path.exists(source):
        alt = os.path.join(repo, "..", "..", "shared", "reference", "model_prices_and_context_window.json")
        if os.path.exists(alt):
            source = alt
        else:
            sys.exit("price list not found: %s (pass --source)" % source)
    with open(source, "rb") as f:
        raw = f.read()
    # parse_float / parse_int get the number's original text: exact decimals, no binary floats.
    data = json.loads(raw.decode("utf-8"), parse_float=D, parse_int=D)

    rows, skipped, warnings = OrderedDict(), Counter(), []
    for name in sorted(data):
        if name == "sample_spec":
            continue
        row, reason = derive_row(name, data[name], warnings)
        if row is None:
            skipped[reason] += 1
        else:
            rows[name] = row
    apply_corrections(rows)
    all_rows = list(rows.values()) + mock_rows(rows)

    by_provider = {}
    for row in all_rows:
        by_provider.setdefault(row["provider"], []).append(row)
    for provider_rows in by_provider.values():
        provider_rows.sort(key=lambda r: r["model"])
    counts = {p: len(r) for p, r in by_provider.items()}

    sql = render(by_provider, os.path.basename(source), hashlib.sha256(raw).hexdigest(), counts, args.update)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(sql)

    print("wrote %s: %d models" % (os.path.relpath(args.out), len(all_rows)))
    for provider, n in sorted(counts.items()):
        modes = Counter(r["mode"] for r in by_provider[provider])
        print("  %-12s %4d  %s" % (provider, n, ", ".join("%s %d" % m for m in sorted(modes.items()))))
    print("skipped: " + ", ".join("%s %d" % s for s in sorted(skipped.items())))
    print("corrected: %d (%s)" % (len(CORRECTIONS), ", ".join(c[0] for c in CORRECTIONS)))
    for w in warnings:
        print("warning: " + w)


if __name__ == "__main__":
    main()
