"""The ``brochure`` command: thin wrappers over the library API.

Each command parses its options and calls one library function. A
:class:`BrochureError` becomes ``Error: FILE:LINE: message`` on stderr and
exit status 1; a wrong command line exits with 2 (click's convention).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

import click

from . import __version__, catalogs, xliff
from .build import BuildFailed, BuildResult, Progress, build, check_project
from .errors import BrochureError, Problem, UsageError
from .handout import FIELDS
from .i18n import catalog_dir_name
from .layouts import LAYOUT_NAMES
from .options import SCHEDULER_ENV, BuildOptions
from .output import write_atomically
from .project import Project, TextSet


class _WarningFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = {logging.WARNING: "Warning: ", logging.ERROR: "Error: "}.get(record.levelno, "")
        return prefix + record.getMessage()


def _setup_logging(verbose: bool, quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_WarningFormatter())
    root = logging.getLogger("brochure")
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING)
    root.propagate = False
    # WeasyPrint logs every CSS property it ignores; the build checks what matters.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager stopping us), handled like Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


class _Group(click.Group):
    """A command group that turns library errors into one clear line each.

    Every command (and every sub-group) runs inside the top group's
    ``invoke``, so no command can forget: a :class:`BrochureError` prints
    ``Error: FILE:LINE: message`` per problem and exits 1; Ctrl-C exits 130
    and SIGTERM 143, after the writers have removed their temporary files.
    """

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.parent is None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except BrochureError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            sys.exit(1)
        except KeyboardInterrupt as exc:
            click.echo("Interrupted: nothing more was written.", err=True)
            sys.exit(143 if isinstance(exc, _Terminated) else 130)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None or value == "all":
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _field_pairs(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Split ``NAME=VALUE`` arguments; the library checks the names and values."""
    pairs = []
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r}: use NAME=VALUE, e.g. date=2026-12-03",
                                     param_hint="--field")
        if any("\udc80" <= char <= "\udcff" for char in value):
            raise click.BadParameter(f"{name.strip()}: the value is not UTF-8 text; set "
                                     "your terminal to UTF-8", param_hint="--field")
        pairs.append((name.strip(), text))
    return tuple(pairs)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="brochure")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="The project folder.")
@click.option("-v", "--verbose", is_flag=True, help="Say what is being written.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def main(context: click.Context, project_dir: Path, verbose: bool, quiet: bool) -> None:
    """Build clinic-branded patient brochures in every language."""
    _setup_logging(verbose, quiet)
    context.obj = Project(project_dir.resolve())
    context.meta["brochure.verbose"] = verbose and not quiet
    context.meta["brochure.quiet"] = quiet


class _Bar:
    """A progress bar on a terminal (click's own), fed by the build's progress events."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, event: Progress) -> None:
        if event.status == "start":
            if event.total:
                self._bar = click.progressbar(
                    length=event.total, label="Building", file=sys.stderr,
                    show_pos=True, show_eta=True,
                    item_show_func=lambda job: job.name if job else "")
                self._bar.__enter__()
            return
        if self._bar is not None:
            self._bar.update(1, event.job)
            if event.done == event.total:
                self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _summary(result: BuildResult, out: Path) -> str:
    return (f"{result.built} built, {result.skipped} unchanged, {len(result.failures)} "
            f"failed in {result.seconds:.1f} s ({out})")


@main.command("build")
@click.option("--clinic", "clinics", metavar="ID|PATH[,...]|all", default="all",
              show_default=True, help="Clinic ids or profile paths.")
@click.option("--lang", "languages", metavar="CODES|all", default="all", show_default=True,
              help="Language codes, e.g. en,es; 'all' means every language the clinic offers.")
@click.option("--layout", "layouts", metavar="NAMES|all", default="all", show_default=True,
              help=f"Layouts: {', '.join(LAYOUT_NAMES)}.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="dist",
              show_default=True, help="Output folder.")
@click.option("--strict", is_flag=True,
              help="Fail every PDF that would print a text in English instead of its "
                   "language.")
@click.option("--print-ready", is_flag=True,
              help="3 mm bleed and crop marks; booklets at half-sheet size plus an "
                   "imposed copy for folding.")
@click.option("--field", "fields", multiple=True, metavar="NAME=VALUE",
              help=f"Fill a handout write-in line ({', '.join(FIELDS)}) for one patient; "
                   "e.g. --field date=2026-12-03. Written as <doc>-handout-filled.pdf.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: one per CPU).")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even unchanged ones.")
@click.option("--scheduler", metavar="ADDRESS", envvar=SCHEDULER_ENV, default=None,
              help=f"Send the jobs to a Dask cluster, e.g. tcp://10.0.0.5:8786 "
                   f"(or set {SCHEDULER_ENV}).")
@click.pass_context
def build_command(context: click.Context, clinics: str, languages: str, layouts: str,
                  out: Path, strict: bool, print_ready: bool, fields: tuple[str, ...],
                  jobs: int | None, force: bool, scheduler: str | None) -> None:
    """Build PDFs into OUT/<clinic>/<lang>/<doc>-<layout>.pdf.

    Unchanged PDFs are skipped; one failing PDF does not stop the others.
    """
    options = BuildOptions(clinics=_split(clinics), languages=_split(languages),
                           layouts=_split(layouts), out=out, strict=strict,
                           print_ready=print_ready, fields=_field_pairs(fields), jobs=jobs,
                           force=force, scheduler=scheduler or None)
    quiet = context.meta.get("brochure.quiet", False)
    verbose = context.meta.get("brochure.verbose", False)
    bar = _Bar() if sys.stderr.isatty() and not quiet and not verbose else None
    try:
        result = build(options, context.obj, progress=bar)
    except BuildFailed as exc:
        if bar:
            bar.close()
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        if not quiet:
            click.echo(_summary(exc.result, out))
        sys.exit(1)
    finally:
        if bar:
            bar.close()
    if not quiet:
        click.echo(_summary(result, out))


@main.group("i18n", cls=_Group)
def i18n_group() -> None:
    """Translation catalogs: extract, init, update, stats, check, export, import."""


_clinic_texts_option = click.option(
    "--clinic", metavar="ID", default=None,
    help="A clinic's own texts (its notes and documents) instead of the shared ones.")


def _text_sets(project: Project, clinic: str | None, every: bool = True) -> list[TextSet]:
    """The texts an i18n command works on: one clinic's, the shared ones, or (``every``)
    the shared ones and each clinic's own."""
    if clinic is not None:
        if not (project.clinics_dir / f"{clinic}.yaml").is_file():
            known = ", ".join(path.stem for path in project.clinic_files()) or "none"
            raise UsageError(f"unknown clinic {clinic!r} (known: {known})")
        return [project.clinic_texts(clinic)]
    return catalogs.text_sets(project) if every else [project.texts()]


@i18n_group.command("extract")
@_clinic_texts_option
@click.pass_obj
def extract_command(project: Project, clinic: str | None) -> None:
    """Write locales/brochure.pot from the content and templates, and each clinic's own
    template (clinics/ID/locales/ID.pot) from its notes and documents.

    Ids derived for blocks and list items are first written into the content
    files, so that later edits of the English keep each text's translation.
    """
    for texts in _text_sets(project, clinic):
        result = catalogs.extract(texts)
        for path, count in result.frozen.items():
            click.echo(f"{path}: wrote {count} id(s) of blocks and list items")
        click.echo(f"{texts.pot_path}: "
                   f"{'updated' if result.changed else 'already up to date'}")


@i18n_group.command("init")
@click.argument("language")
@_clinic_texts_option
@click.pass_obj
def init_command(project: Project, language: str, clinic: str | None) -> None:
    """Start a catalog for LANGUAGE (a code such as es, zh-Hans or sw)."""
    [texts] = _text_sets(project, clinic, every=False)
    click.echo(f"created {catalogs.init(texts, language)}")


@i18n_group.command("update")
@_clinic_texts_option
@click.pass_obj
def update_command(project: Project, clinic: str | None) -> None:
    """Merge the template into every catalog; no translation is lost.

    Changed English keeps its old translation as fuzzy (never printed); moved
    text keeps its translation; removed text stays at the end as obsolete.
    """
    changed = [updated for texts in _text_sets(project, clinic)
               for updated in catalogs.update(texts)]
    for updated in changed:
        click.echo(f"updated {updated.path}: {updated.report}")
    if not changed:
        click.echo("every catalog is up to date")


@i18n_group.command("export")
@click.argument("language")
@click.option("--format", "file_format", type=click.Choice(["xliff"]), default="xliff",
              show_default=True, help="XLIFF 1.2, for memoQ, Trados and other CAT tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; default: brochure-LANGUAGE.xlf; '-': standard output.")
@click.pass_obj
def export_command(project: Project, language: str, file_format: str,
                   output: Path | None) -> None:
    """Write LANGUAGE's catalog as XLIFF 1.2, with contexts and notes."""
    data = xliff.export(project, language)
    if output == Path("-"):
        sys.stdout.buffer.write(data)
        return
    path = output or Path(f"brochure-{catalog_dir_name(language)}.xlf")
    write_atomically(path, data)
    click.echo(f"wrote {path}")


@i18n_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", "language", metavar="CODE",
              help="The catalog to import into; default: the file's target-language.")
@click.pass_obj
def import_command(project: Project, file: Path, language: str | None) -> None:
    """Put the translations of an XLIFF 1.2 FILE into its language's catalog."""
    report = xliff.import_xliff(project, file, language)
    for problem in report.skipped:
        click.echo(f"Warning: not imported: {problem}", err=True)
    click.echo(f"{report.path}: {report}")


@i18n_group.command("stats")
@_clinic_texts_option
@click.pass_obj
def stats_command(project: Project, clinic: str | None) -> None:
    """Print how complete each translation is (of the shared texts, or a clinic's own)."""
    [texts] = _text_sets(project, clinic, every=False)
    rows = catalogs.stats(texts)
    header = ("lang", "name", "translated", "fuzzy", "untranslated", "problems", "review")
    table = [header] + [
        (row.language, row.name, f"{row.percent:.0f}%", str(row.fuzzy),
         str(row.untranslated), str(len(row.problems)), row.review)
        for row in rows]
    widths = [max(_width(line[column]) for line in table) for column in range(len(header))]
    for line in table:
        click.echo("  ".join(cell + " " * (width - _width(cell))
                             for cell, width in zip(line, widths)).rstrip())


@i18n_group.command("check")
@_clinic_texts_option
@click.pass_obj
def check_command(project: Project, clinic: str | None) -> None:
    """Fail when a template is stale or a catalog is broken (the shared texts' and
    every clinic's own; --clinic: that clinic's only)."""
    problems = [problem for texts in _text_sets(project, clinic)
                for problem in catalogs.check(texts)]
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("catalogs OK")


@main.command("check")
@click.option("--pdf", "pdf_dir", metavar="[DIR]", is_flag=False, flag_value="dist",
              default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Check the built PDFs in DIR (default dist) instead: fonts, text layer, "
                   "language tags, PDF/UA, links, titles, sizes.")
@click.pass_obj
def check_command_all(project: Project, pdf_dir: Path | None) -> None:
    """Validate content, clinic profiles and catalogs without building."""
    if pdf_dir is not None:
        from .qa import check_pdfs

        problems: list[Any] = list(check_pdfs(pdf_dir, project))
    else:
        problems = list(check_project(project))
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"PDFs in {pdf_dir} OK" if pdf_dir is not None
               else "content, clinics and catalogs OK")


def _report_lines(preview: Any, limit: int | None) -> list[str]:
    """The preview's report: a summary, then the entries of each kind (worst first)."""
    from .preview import KINDS

    report = preview.report
    lines = [str(Problem(report.summary(), report.path))]
    lines.extend(f"  Warning: {problem}" for problem in report.problems)
    shown = preview.fallbacks
    for kind in KINDS:
        entries = [entry for entry in report.entries if entry.kind == kind]
        for entry in entries[:limit]:
            note = " [shown in English on these pages]" if entry.key in shown else ""
            lines.append(f"  {entry}{note}")
        if limit is not None and len(entries) > limit:
            lines.append(f"  ... and {len(entries) - limit} more {kind} (--all lists them)")
    return lines


@main.command("preview")
@click.argument("language")
@click.option("--clinic", metavar="ID|PATH", default=None,
              help="The clinic whose brochure to show (default: the first that offers "
                   "LANGUAGE).")
@click.option("--layout", "layouts", metavar="NAMES|all", default="booklet", show_default=True,
              help=f"Layouts to draw: {', '.join(LAYOUT_NAMES)}.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the page images (default: a folder in the temp folder, "
                   "printed).")
@click.option("--dpi", type=click.IntRange(24, 300), default=96, show_default=True,
              help="Resolution of the page images.")
@click.option("--watch", is_flag=True,
              help="Draw the pages again each time LANGUAGE's .po file is saved "
                   "(Ctrl-C stops).")
@click.option("--open", "open_folder", is_flag=True,
              help="Open the folder of page images once (nothing is opened otherwise).")
@click.option("--all", "full", is_flag=True,
              help="List every text of the report (default: the first 10 of each kind).")
@click.pass_obj
def preview_command(project: Project, language: str, clinic: str | None, layouts: str,
                    out: Path | None, dpi: int, watch: bool, open_folder: bool,
                    full: bool) -> None:
    """Draw LANGUAGE's pages as PNG images and list what is untranslated, fuzzy or broken.

    Texts without a usable translation print in English, as in a build; the
    report names each with FILE:LINE, its context and its English.
    """
    from . import preview as previews

    request = previews.PreviewRequest(str(project.root), language, clinic,
                                      _split(layouts) or LAYOUT_NAMES, dpi)
    opened = False

    def show(preview: previews.Preview) -> None:
        nonlocal opened
        folder = out or previews.default_folder(preview.language, preview.clinic_id)
        paths = previews.write_pages(preview, folder)
        changed = sum(1 for page in preview.pages if page.png is not None)
        parts = ", ".join(
            f"{layout.layout} {len(layout.pages)} page{'' if len(layout.pages) == 1 else 's'}"
            for layout in preview.layouts if layout.pages)
        click.echo(f"{preview.language_name} ({preview.language}) for {preview.clinic_id}: "
                   f"{parts or 'no pages'} in {folder} ({changed} of {len(paths)} redrawn, "
                   f"{preview.seconds:.1f} s)")
        for error in preview.errors:
            click.echo(f"Error: {error}", err=True)
        for line in _report_lines(preview, None if full else 10):
            click.echo(line)
        if open_folder and not opened:
            opened = True
            click.launch(str(folder))

    if not watch:
        preview = previews.make_preview(request)
        show(preview)
        if preview.errors:
            sys.exit(1)
        return
    click.echo(f"Watching the {language} catalog; save it to redraw the pages. Ctrl-C stops.")
    try:
        previews.watch(request, show)
    except KeyboardInterrupt:
        click.echo("Stopped watching.")


@main.group("clinic", cls=_Group)
def clinic_group() -> None:
    """Clinics: add one (new) and check one (check)."""


def _ask(value: str | None, prompt: str, default: str | None = None,
         optional: bool = False) -> str | None:
    """An option's value, else (on a terminal) the answer to a prompt."""
    if value is not None:
        return value
    if sys.stdin.isatty():
        answer = click.prompt(prompt, default=default if default is not None
                              else ("" if optional else None), show_default=bool(default))
        return answer.strip() or None
    if default is not None or optional:
        return default
    raise click.UsageError(f"missing --{prompt.split(' (')[0].lower().replace(' ', '-')}"
                           " (or run it in a terminal to be asked)")


@clinic_group.command("new")
@click.argument("clinic_id", metavar="ID")
@click.option("--name", help="The clinic's name, as printed.")
@click.option("--phone", help="The main phone number.")
@click.option("--after-hours-phone", help="The number to call when the clinic is closed.")
@click.option("--address", "address", multiple=True,
              help="A line of the address (repeat the option for each line).")
@click.option("--website", help="https:// address of the clinic's website.")
@click.option("--booking-url", help="https:// address of the booking page (a QR code).")
@click.option("--country", help="ISO 3166 country code, e.g. US or GB.")
@click.option("--emergency-number", help="Only if the country's default is not right.")
@click.option("--paper", type=click.Choice(["A4", "Letter"]), default=None,
              help="Paper size (default: Letter in the Americas, else A4).")
@click.option("--languages", metavar="CODES", help="Languages, e.g. en,es,zh-Hans.")
@click.pass_obj
def clinic_new_command(project: Project, clinic_id: str, name: str | None,
                       phone: str | None, after_hours_phone: str | None,
                       address: tuple[str, ...], website: str | None,
                       booking_url: str | None, country: str | None,
                       emergency_number: str | None, paper: str | None,
                       languages: str | None) -> None:
    """Add clinic ID: a profile, a placeholder logo and an empty notes file.

    Asks for what the options do not give when run in a terminal. The new
    clinic builds at once (brochure build --clinic ID); an existing clinic
    is never overwritten.
    """
    from . import newclinic
    from .clinic import EMERGENCY_NUMBERS

    newclinic.check_id(clinic_id, project)
    name = _ask(name, "Name")
    phone = _ask(phone, "Phone")
    after_hours_phone = _ask(after_hours_phone, "After-hours phone (empty: the main phone)",
                             optional=True)
    lines = list(address)
    if not lines and sys.stdin.isatty():
        while line := _ask(None, f"Address line {len(lines) + 1} (empty: done)",
                           optional=True):
            lines.append(line)
    if not lines:
        raise click.UsageError("missing --address (one option per line)")
    website = _ask(website, "Website")
    booking_url = _ask(booking_url, "Booking URL")
    country = (_ask(country, "Country") or "").upper()
    if country not in EMERGENCY_NUMBERS:
        emergency_number = _ask(emergency_number, "Emergency number")
    paper = _ask(paper, "Paper", newclinic.default_paper(country))
    codes = _split(_ask(languages, "Languages",
                        ",".join(newclinic.default_languages(country))))
    assert name and phone and website and booking_url
    created = newclinic.create_clinic(project, newclinic.NewClinic(
        clinic_id, name, phone, tuple(lines), website, booking_url, country,
        codes or newclinic.default_languages(country), paper, after_hours_phone,
        emergency_number))
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"Next: replace the placeholder logo, then run 'brochure clinic check "
               f"{clinic_id}' and 'brochure build --clinic {clinic_id}'.")


@clinic_group.command("check")
@click.argument("clinic_id", metavar="ID")
@click.pass_obj
def clinic_check_command(project: Project, clinic_id: str) -> None:
    """Check clinic ID: profile, colours, logo, notes, documents and catalogs, all at once."""
    from .newclinic import clinic_problems

    problems = clinic_problems(project, clinic_id)
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"clinic {clinic_id} OK")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any address but this computer's own (e.g. "
                   "0.0.0.0) needs --password-file.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="dist",
              show_default=True, help="The build's output folder, which the library lists.")
@click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A file whose first line is the password every visitor "
                                 "must give (required with a non-local --host).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name the app is reached by (e.g. brochures.clinic.lan).")
@click.option("--workers", type=click.IntRange(1, 16), default=None, metavar="N",
              help="Render processes (default: one per CPU, at most 4).")
@click.pass_obj
def serve_command(project: Project, host: str, port: int, out: Path,
                  password_file: Path | None, allowed_hosts: tuple[str, ...],
                  workers: int | None) -> None:
    """Run the staff web app: library, patient handouts, translators' preview."""
    from .web.config import ServeOptions
    from .web.server import serve

    serve(ServeOptions(host=host, port=port, out=out, password_file=password_file,
                       allowed_hosts=allowed_hosts, workers=workers), project, say=click.echo)
