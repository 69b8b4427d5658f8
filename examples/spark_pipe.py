#!/usr/bin/env python3
"""Run naql under Apache Spark: pipe the partitions of a JSONL corpus through
`naql extract - --format jsonl`, keep the records, and write the four tables.

    pip install pyspark        # Java 17 on the PATH or in JAVA_HOME
    python examples/spark_pipe.py --naql "$PWD/target/release/naql" \\
        --input corpus.jsonl --out spark-out --master 'local[2]'
    naql tables --from spark-out/records --out tables

Writes:
  OUT/records/part-*      naql's JSONL records, one part per partition; each part
                          starts with its run record, marked with the partition as
                          `shard` and the lines before it as `line_offset`, so that
                          `naql tables --from OUT/records` writes exactly the tables one
                          `naql extract - --out DIR < corpus.jsonl` writes.
  OUT/tables/NAME/        documents, mentions, entities, quotes as Parquet (or CSV
                          with --tables csv), in input order, read from the records
                          with an explicit schema.

The tables written by Spark are for work inside Spark. They differ from a single run
only where a run decides across documents: a doc_id repeated in another partition is
not failed, and a record without an id is named after its line in the partition. For
tables that match a single run byte for byte, use `naql tables` on the records.

Arguments after `--` go to `naql extract` (e.g. `-- --gazetteer DIR --no-quotes`).
"""

import argparse
import json
import os
import shlex
import sys
import time

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

# The columns of naql's tables (README, "Output tables"); records carry them under the
# same names. Integer columns are listed apart; `confidence` is the one float.
DOCUMENT_COLUMNS = [
    "doc_id", "source", "lang", "title", "url", "published_at", "text_length",
    "text_bytes", "text_sha256", "input_encoding", "n_mentions", "n_quotes", "status",
    "error", "published_at_text", "published_calendar", "outlet", "outlet_entity_id",
]
MENTION_COLUMNS = [
    "doc_id", "mention_id", "start", "end", "byte_start", "byte_end", "text",
    "entity_id", "entity_type", "label", "matched_name", "name_lang", "match_kind",
    "clitic", "sentence_index", "context_left", "context_right", "zone", "article_index",
]
ENTITY_COLUMNS = [
    "entity_id", "label", "entity_type", "subtype", "wikidata", "n_mentions", "n_docs",
    "n_demonyms", "n_mentions_other",
]
QUOTE_COLUMNS = [
    "doc_id", "quote_id", "quote_type", "start", "end", "byte_start", "byte_end", "text",
    "open_mark", "close_mark", "cue", "cue_start", "cue_end", "speaker_text",
    "speaker_start", "speaker_end", "speaker_mention_id", "speaker_entity_id",
    "speaker_label", "attribution_method", "confidence", "sentence_index", "lang",
    "zone", "article_index",
]
INTEGER_COLUMNS = {
    "text_length", "text_bytes", "n_mentions", "n_quotes", "start", "end", "byte_start",
    "byte_end", "sentence_index", "cue_start", "cue_end", "speaker_start", "speaker_end",
    "n_docs", "n_demonyms", "doc_index", "format_version", "shard", "line_offset",
    "article_index", "n_mentions_other",
}


def record_schema():
    """One schema for every record kind: the union of their fields."""
    names = ["record"]
    for columns in (DOCUMENT_COLUMNS, ["doc_index"], MENTION_COLUMNS, QUOTE_COLUMNS,
                    ENTITY_COLUMNS):
        names += [c for c in columns if c not in names]
    fields = []
    for name in names:
        kind = LongType() if name in INTEGER_COLUMNS else StringType()
        if name == "confidence":
            kind = DoubleType()
        fields.append(StructField(name, kind))
    # The run record's own fields.
    fields += [
        StructField("format", StringType()),
        StructField("format_version", LongType()),
        StructField("naql_version", StringType()),
        StructField("gazetteers", ArrayType(StringType())),
        StructField("gazetteer_sha256", StringType()),
        StructField("shard", LongType()),
        StructField("line_offset", LongType()),
    ]
    return StructType(fields)


def naql_command(naql, extra):
    """The command each partition is piped through.

    PySpark starts it with an empty environment, so the binary is named by its
    absolute path. naql exits 1 when some documents of the partition failed (they are
    rows with status `error`, not a crash), so only codes above 1 fail the task.
    """
    script = '"$@"; code=$?; [ "$code" -le 1 ] || exit "$code"'
    argv = ["/bin/sh", "-c", script, "naql", naql, "extract", "-", "--format", "jsonl",
            "--threads", "1", *extra]
    return shlex.join(argv)


def mark_shards(line_offsets):
    """Marks the run record at the top of each partition's records with the partition
    number and the input lines before it."""

    def mark(partition, records):
        first = True
        for line in records:
            if first:
                first = False
                run = json.loads(line)
                if run.get("record") != "run":
                    raise ValueError(f"partition {partition}: naql wrote no run record first")
                run["shard"] = partition
                run["line_offset"] = line_offsets[partition]
                line = json.dumps(run, ensure_ascii=False, separators=(",", ":"))
            yield line

    return mark


def log(started, what):
    print(f"spark_pipe: {time.monotonic() - started:6.1f} s  {what}", file=sys.stderr)


def main():
    started = time.monotonic()
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naql", required=True, help="absolute path of the naql binary")
    parser.add_argument("--input", required=True, help="JSONL corpus (one file)")
    parser.add_argument("--out", required=True, help="output directory (must not exist)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=None,
                        help="minimum input partitions [default: Spark's]")
    parser.add_argument("--tables", choices=["parquet", "csv", "none"], default="parquet")
    args = parser.parse_args(argv)
    naql = os.path.abspath(args.naql)
    if not os.access(naql, os.X_OK):
        parser.error(f"{naql} is not an executable")

    spark = (SparkSession.builder.master(args.master).appName("naql")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    log(started, f"Spark session up ({sc.master}, Spark {spark.version})")
    lines = sc.textFile(args.input, minPartitions=args.partitions)

    # Lines per partition (a cheap pass over the input), so each partition knows where
    # it starts: naql numbers the lines it reads from 1.
    counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
    line_offsets = [sum(counts[:i]) for i in range(len(counts))]
    log(started, f"{sum(counts)} lines counted in {len(counts)} partitions")

    records = (lines.pipe(naql_command(naql, extra), checkCode=True)
               .mapPartitionsWithIndex(mark_shards(line_offsets))
               .persist(StorageLevel.MEMORY_AND_DISK))
    records.saveAsTextFile(os.path.join(args.out, "records"))
    log(started, "records piped through naql and saved")

    if args.tables != "none":
        write_tables(spark, records, line_offsets, args)
        log(started, f"tables written ({args.tables})")
    records.unpersist()
    spark.stop()


def write_tables(spark, records, line_offsets, args):
    # The partition of each record is its shard: documents are put in order by shard
    # and doc_index, the other records by their document and their number.
    tagged = records.mapPartitionsWithIndex(
        lambda partition, it: ((partition, line) for line in it))
    frame = (spark.createDataFrame(tagged, "part long, value string")
             .select("part", F.from_json("value", record_schema()).alias("r"))
             .select("part", "r.*"))
    frame = frame.persist(StorageLevel.MEMORY_AND_DISK)

    offsets = F.array(*[F.lit(o) for o in line_offsets])
    stdin_line = F.regexp_extract("source", r"^stdin:([0-9]+)$", 1)
    documents = (frame.where("record = 'document'")
                 .withColumn("source", F.when(
                     stdin_line != "",
                     F.concat(F.lit("stdin:"),
                              (stdin_line.cast("long")
                               + F.element_at(offsets, F.col("part").cast("int") + 1))
                              .cast("string")))
                     .otherwise(F.col("source"))))
    order = documents.select("part", "doc_id", "doc_index")

    def numbered(kind, id_column, marker, columns):
        rows = frame.where(f"record = '{kind}'").select("part", *columns)
        number = F.regexp_extract(id_column, f":{marker}([0-9]+)$", 1).cast("long")
        return (rows.join(order, ["part", "doc_id"])
                .orderBy("part", "doc_index", number)
                .select(*columns))

    mentions = numbered("mention", "mention_id", "m", MENTION_COLUMNS)
    quotes = numbered("quote", "quote_id", "q", QUOTE_COLUMNS)
    attributes = (frame.where("record = 'entity'")
                  .select("entity_id", "label", "entity_type", "subtype", "wikidata")
                  .dropDuplicates(["entity_id"]))
    demonym = F.col("match_kind") == "demonym"
    # n_mentions counts the article (title and body); other zones go to n_mentions_other.
    article = ~demonym & F.col("zone").isin("title", "body")
    other = ~demonym & ~F.col("zone").isin("title", "body")
    counts = (frame.where("record = 'mention'")
              .groupBy("entity_id")
              .agg(F.sum(F.when(article, 1).otherwise(0)).alias("n_mentions"),
                   F.countDistinct(F.when(article, F.col("doc_id"))).alias("n_docs"),
                   F.sum(F.when(demonym, 1).otherwise(0)).alias("n_demonyms"),
                   F.sum(F.when(other, 1).otherwise(0)).alias("n_mentions_other")))
    entities = (attributes.join(counts, "entity_id")
                .orderBy(F.desc("n_mentions"), F.desc("n_demonyms"),
                         F.desc("n_mentions_other"), "entity_id")
                .select(*ENTITY_COLUMNS))
    tables = {
        "documents": documents.orderBy("part", "doc_index").select(*DOCUMENT_COLUMNS),
        "mentions": mentions,
        "entities": entities,
        "quotes": quotes.withColumn("confidence", F.format_string("%.2f", "confidence"))
        if args.tables == "csv" else quotes,
    }
    for name, table in tables.items():
        path = os.path.join(args.out, "tables", name)
        if args.tables == "parquet":
            table.write.parquet(path)
        else:
            # One file per table; escape='"' doubles quotes inside cells (RFC 4180)
            # instead of Spark's default backslash.
            (table.coalesce(1).write
             .option("header", True).option("escape", '"').option("emptyValue", "")
             .option("lineSep", "\n").csv(path))
    frame.unpersist()


if __name__ == "__main__":
    main()
