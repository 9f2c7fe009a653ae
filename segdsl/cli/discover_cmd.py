"""`segdsl discover` (groups of customers found in traits, written as a family) and `segdsl
predict` (a back-tested logistic regression written as a trait and a segment). Both need the
ml extra (scikit-learn), imported inside the commands; see docs/discover.md."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer

from segdsl.cli.options import (
    JSON_VERSION,
    AsOfOpt,
    DbOpt,
    ForceOpt,
    OutputOpt,
    PathArg,
    UrlOpt,
    check_format,
    check_output,
    command,
    format_option,
)

SeedOpt = Annotated[int, typer.Option("--seed", metavar="N", help="Seed of every random choice (same seed, same result).")]


@contextlib.contextmanager
def _ml_errors() -> Iterator[None]:
    from segdsl.discover.common import MissingExtra, MlError

    try:
        yield
    except MlError as exc:
        typer.echo(exc.diagnostic.render(), err=True)
        raise typer.Exit(exc.exit_code) from None
    except MissingExtra as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _needs_sklearn() -> None:
    from segdsl.discover.common import sklearn

    with _ml_errors():
        sklearn()


def _names(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def _progress(label: str) -> Any:
    from rich.console import Console

    from segdsl.analysis.common import steps

    err = Console(stderr=True)
    return steps(err if err.is_terminal else None, None, label)


def _out_path(project: Any, output: Path | None, default: str) -> str:
    from segdsl.discover.write import output_name

    return output_name(project, output, default)


def discover(path: PathArg,
             traits: Annotated[Optional[list[str]], typer.Option(
                 "--traits", metavar="NAMES", help="Number traits or fields to cluster on, e.g. visits_90d,pages_per_visit.")] = None,
             k: Annotated[str, typer.Option("--k", metavar="N|auto", help="Clusters: a number, or auto (by silhouette).")] = "auto",
             name: Annotated[str, typer.Option("--name", metavar="NAME", help="The family's name.")] = "discovered",
             depth: Annotated[int, typer.Option("--depth", metavar="N", help="Depth of the decision tree (1-6).")] = 3,
             seed: SeedOpt = 0, db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
             output: OutputOpt = None, force: ForceOpt = False,
             format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Find groups of customers in their traits and write them as a family."""
    import json

    from segdsl.cli.analyze_cmd import Session, _errors, _fail
    from segdsl.cli.run_cmd import EXIT_USAGE

    format = check_format(format, "text", "json")
    check_output(output, force, (".seg",))
    wanted_k: int | None = None
    if k.strip().lower() != "auto":
        try:
            wanted_k = int(k)
        except ValueError:
            raise _fail(f"--k {k}: give a number of clusters or auto", EXIT_USAGE) from None
    _needs_sklearn()
    s = Session(path, db, url, as_of)
    try:
        with _errors(), _ml_errors(), _progress("discover") as bar:
            from segdsl.discover.discover import discover as run

            result = run(s.conn, s.project, _names(traits), k=wanted_k, seed=seed, as_of=s.as_of, name=name,
                         depth=depth, path=_out_path(s.project, output, f"{name}.seg"), steps=bar)
            if output is not None:
                from segdsl.discover.write import write

                write(output, result.text)
    finally:
        s.close()
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | result.as_dict()
                              | {"output": str(output) if output else None}, indent=2))
        return
    say = (lambda line: typer.echo(line)) if output is not None else (lambda line: typer.echo(line, err=True))
    say(f"discover: {result.customers:,} customers as of {s.as_of} on {s.conn.dialect}, traits "
        + ", ".join(result.traits) + (f" ({result.left_out:,} left out: a trait is missing)" if result.left_out else ""))
    if result.silhouettes:
        say(f"k = {result.k}, picked by silhouette on a sample: "
            + ", ".join(f"k={n} {v:.2f}" for n, v in result.silhouettes.items()))
    else:
        say(f"k = {result.k}")
    say(f"fidelity {result.fidelity:.3f}: the family gives {round(result.fidelity * result.customers):,} of "
        f"{result.customers:,} customers their cluster")
    for m in result.members:
        say(f"  {m.name}{' (else)' if m.otherwise else ''}: cluster {m.size:,}, member {m.assigned:,}")
    if output is not None:
        say(f"wrote {output}: family {result.family}")
    else:
        typer.echo(result.text, nl=False)


def predict(path: PathArg,
            target_event: Annotated[Optional[str], typer.Option("--target-event", metavar="NAME", help="The event to predict.")] = None,
            target_where: Annotated[Optional[str], typer.Option("--target-where", metavar="FILTER", help="A filter on the event's rows, e.g. 'city = \"Boston\"'.")] = None,
            horizon: Annotated[Optional[str], typer.Option("--horizon", metavar="DURATION", help="How far ahead: \"30 days\", \"4 weeks\".")] = None,
            features: Annotated[Optional[list[str]], typer.Option("--features", metavar="NAMES", help="Number traits or fields the model uses.")] = None,
            population: Annotated[Optional[str], typer.Option("--population", metavar="FILTER", help="Learn from (or score) only the customers meeting this condition at the feature date, e.g. 'days_since(signup_date) >= 0'.")] = None,
            name: Annotated[str, typer.Option("--name", metavar="NAME", help="The trait's name (its segment is NAME_top_decile).")] = "purchase_score",
            evaluate: Annotated[Optional[Path], typer.Option("--evaluate", metavar="FILE.seg", help="Score the trait of this file on the label window of --as-of instead of training.")] = None,
            seed: SeedOpt = 0, db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
            output: OutputOpt = None, force: ForceOpt = False,
            format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Train a model that compiles to SQL: a trait scoring who will do an event, and a segment."""
    import json

    from segdsl.cli.analyze_cmd import Session, _errors, _fail
    from segdsl.cli.run_cmd import EXIT_USAGE

    format = check_format(format, "text", "json")
    check_output(output, force, (".seg",))
    header: dict[str, Any] | None = None
    if evaluate is not None:
        if not evaluate.is_file():
            raise _fail(f"--evaluate {evaluate}: no such file", EXIT_USAGE)
        from segdsl.discover.predict import read_header

        header = read_header(evaluate.read_text(encoding="utf-8")) or {}
        target_event = target_event or header.get("event")
        target_where = target_where or header.get("where")
        horizon = horizon or (f"{header['days']} days" if "days" in header else None)
        population = population or header.get("population")
    if not target_event:
        raise _fail("missing option --target-event NAME", EXIT_USAGE)
    if not horizon:
        raise _fail("missing option --horizon, e.g. --horizon \"30 days\"", EXIT_USAGE)
    from segdsl.discover.predict import horizon_days

    with _ml_errors():
        days = horizon_days(horizon)
    _needs_sklearn()
    s = Session(path, db, url, as_of)
    try:
        with _errors(), _ml_errors(), _progress("predict"):
            from segdsl.discover import predict as model

            if evaluate is not None:
                project, trait = _with_model(s.project, evaluate, name)
                scored = model.evaluate(s.conn, project, trait, target_event, target_where, days, s.as_of,
                                        population)
            else:
                fitted = model.fit(s.conn, s.project, _names(features), target_event, target_where, days, s.as_of,
                                   name=name, seed=seed, path=_out_path(s.project, output, f"{name}.seg"),
                                   population=population)
                if output is not None:
                    from segdsl.discover.write import write

                    write(output, fitted.text)
    finally:
        s.close()
    if evaluate is not None:
        trained = header.get("as_of") if header else None
        overlap = trained is not None and s.as_of - __import__("datetime").timedelta(days=days) < trained
        if format == "json":
            typer.echo(json.dumps({"version": JSON_VERSION, "trait": trait, "as_of": s.as_of.isoformat(),
                                   "horizon_days": days, "target_event": target_event, "population": population,
                                   "trained_as_of": trained.isoformat() if trained else None,
                                   "label_window_seen_in_training": overlap} | scored.as_dict(), indent=2))
            return
        typer.echo(f"{trait} as of {s.as_of} on {s.conn.dialect}: features as of "
                   f"{s.as_of - __import__('datetime').timedelta(days=days)}, `{target_event}` in the {days} days after")
        if overlap:
            typer.echo(f"warning: the model was trained as of {trained}: this label window is not new data to it",
                       err=True)
        _print_scored(scored)
        return
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | fitted.as_dict()
                              | {"output": str(output) if output else None}, indent=2))
        return
    say = (lambda line: typer.echo(line)) if output is not None else (lambda line: typer.echo(line, err=True))
    t0 = s.as_of - __import__("datetime").timedelta(days=days)
    say(f"predict {target_event} within {days} days: features as of {t0}, label from the {days} days to {s.as_of}, "
        f"{fitted.training:,} customers to train, {fitted.holdout.customers:,} held out")
    _print_scored(fitted.holdout, say)
    if output is not None:
        say(f"wrote {output}: trait {fitted.name}, segment {fitted.segment}")
    else:
        typer.echo(fitted.text, nl=False)


def _print_scored(scored: Any, say: Any = None) -> None:
    say = say or (lambda line: typer.echo(line))
    say(f"AUC {scored.auc:.2f}, base rate {100 * scored.base_rate:.1f}% ({scored.customers:,} customers)")
    say("calibration by decile of the score (10 = highest): predicted vs observed")
    for d, n, p, o in reversed(scored.calibration):
        say(f"  {d:>2}: {100 * p:5.1f}% vs {100 * o:5.1f}%  ({n:,})")


def _with_model(project: Any, file: Path, name: str) -> tuple[Any, str]:
    """The project with the model's file (replacing it when it is in the project), and the
    trait to score: --name when the file defines it, else the file's one trait."""
    import segdsl
    from segdsl.discover.common import EXIT_USAGE, fail
    from segdsl.discover.write import output_name

    shown = output_name(project, file, file.name)
    files = dict(project.sources.files) | {shown: file.read_text(encoding="utf-8")}
    joined = segdsl.Project.from_sources(project.sources.config or {}, files, project.root)
    errors = [d for d in joined.check() if d.is_error]
    if errors:
        raise fail("SEG0807", f"--evaluate {file}: {errors[0]}", EXIT_USAGE)
    defined = [d.name for f in joined.parsed[0] if f.path == shown for d in f.definitions
               if type(d).__name__ == "TraitDef"]
    if name in defined:
        return joined, name
    if len(defined) == 1:
        return joined, defined[0]
    raise fail("SEG0807", f"--evaluate {file}: name the trait to score with --name"
               + (f" (one of {', '.join(defined)})" if defined else ": the file defines no trait"), EXIT_USAGE)


def register(app: "typer.Typer") -> None:
    command(app, discover)
    command(app, predict)
