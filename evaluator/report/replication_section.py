"""The Replication section as layout blocks (tables from claims/replication.py's figures)."""

from __future__ import annotations

from evaluator.report.blocks import Bullets, Code, Paragraph, Plots, Section, TableBlock
from evaluator.claims.report_model import Report
from evaluator.claims.replication import Replication
from evaluator.report.tables import VERDICT_WORDS, Table, name
from evaluator.claims.number_words import fmt_num, fmt_p


def _verdict(report: Report, replication: Replication, verdict: str) -> str:
    if verdict in VERDICT_WORDS:
        return VERDICT_WORDS[verdict].format(a=name(report, replication.a_key), b=name(report, replication.b_key))
    return verdict


def provenance_table(report: Report, replication: Replication) -> Table:
    rows, shares = [], []
    for p in replication.provenance:
        package = f"{p.package} {p.version}".strip()
        how = p.importer + (" (" + ", ".join(f"{k}: {v}" for k, v in p.patterns.items()) + ")" if p.patterns else "")
        rows.append((p.corpus, p.source, package or "-", p.git_commit[:12] or "-", p.created or "-", how,
                     str(p.analysed_pairs), str(p.errors), str(p.aliases)))
        if p.prelude_share:
            shares.append(f"{p.corpus}: chapter preludes are " + ", ".join(
                f"{v:.1%} of {name(report, k)} SLOC" for k, v in p.prelude_share.items()))
    note = "Pairs analysed: tasks with both sides read without error. " + " ".join(f"{s}." for s in shares)
    return Table("Corpora and their provenance (corpus.toml)",
                 ("corpus", "source", "package", "commit", "imported", "importer (patterns)", "pairs analysed",
                  "files not analysed", "aliases"), tuple(rows), note.strip())


def claims_table(report: Report, replication: Replication) -> Table:
    corpora = [p.corpus for p in replication.provenance]
    rows = tuple((str(c.number), c.statement, *(o.verdict for o in c.outcomes), "contested" if c.contested else "")
                 for c in replication.claims)
    return Table("Static claims per corpus", ("#", "claim", *corpora, "across corpora"), rows,
                 "Same rules as the Claims section, static evidence only (execution claims need runs, which corpora never get). "
                 "Contested (one definition, docs/claims.md): corpora whose evidence shows a difference favour "
                 "different sides.")


def metrics_table(report: Report, replication: Replication) -> Table:
    A, B = name(report, replication.a_key), name(report, replication.b_key)
    rows = []
    for m in replication.metrics:
        for o in m.outcomes:
            ci = f"{fmt_num(o.ci[0])} to {fmt_num(o.ci[1])}" if o.ci else (o.reason or "-")
            rows.append((m.label, o.corpus, str(o.n), fmt_num(o.ratio), ci, fmt_p(o.p_holm),
                         _verdict(report, replication, o.verdict), "contested" if m.contested else ""))
    return Table(f"Confirmatory metrics per corpus ({A} vs {B}, paired by task)",
                 ("metric", "corpus", "pairs", f"ratio {A}/{B}", "95% CI", "p (Holm)", "verdict", "across corpora"),
                 tuple(rows), "Contested: significantly higher for one side on one corpus, for the other side on another.")


def lookalike_table(replication: Replication) -> Table:
    rows = tuple((item.corpus, item.target, str(item.references), str(item.files)) for item in replication.lookalikes)
    return Table("Imports that look like framework modules but were not resolved",
                 ("corpus", "import (as written)", "references", "files"), rows,
                 "API metrics do not count references through these names. Where one is a re-export of a framework "
                 "module, add it to the corpus's corpus.toml [aliases] (\"<import>\" = \"<framework module>\").")


def replication_section(report: Report) -> Section:
    replication: Replication = report.replication
    A, B = name(report, replication.a_key), name(report, replication.b_key)
    blocks = [
        Paragraph((f"The task corpus beside {len(replication.corpora)} external "
                   f"{'corpus' if len(replication.corpora) == 1 else 'corpora'} (", Code("--corpus NAME=DIR"),
                   f"): the same static comparison of {A} against {B} (primary implementations paired by task, Holm within "
                   "each metric family) and the same static claims, computed on each corpus alone. External corpora are "
                   "static-only: their code was analysed, never imported or run. Their pairs were not written to be "
                   "equivalent: a pair may differ in scope (a port that lags behind, a feature one side leaves out), "
                   "so a corpus tests whether a verdict holds on code as it exists, not like for like.")),
        TableBlock(provenance_table(report, replication)),
        TableBlock(claims_table(report, replication)),
        TableBlock(metrics_table(report, replication)),
        Plots("replication", "Forest plots: one row per corpus (ratio and 95% CI, log scale)"),
    ]
    if replication.lookalikes:
        blocks.append(TableBlock(lookalike_table(replication)))
    else:
        blocks.append(Paragraph(("Every import that looks like a framework module was resolved.",)))
    if replication.errors:
        blocks.append(TableBlock(Table("Files the analysis could not read (pair kept, left out of the comparisons)",
                                       ("corpus", "task", "implementation", "error"), tuple(replication.errors))))
    if replication.problems:
        blocks.append(Bullets(replication.problems))
    return Section("replication", "Replication on other corpora", tuple(blocks))
