"""What the item page, the editor's preview and the printed notice draw of a 办事指南 beyond
its text: the flow chart of its steps and the addresses of its materials' forms."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, send_file, url_for
from flask_babel import gettext
from markupsafe import Markup

from kiosk.labels import label
from services.catalogue.queries import PUBLIC_STATUSES
from services.content.flowchart import FlowWords, flowchart_svg
from services.guide_files.materials import material_file
from services.guide_files.storage import stored_pdf
from services.models import Revision


def flow_words() -> FlowWords:
    """The flow chart's words in the current language."""
    return FlowWords(
        title=gettext("Flow chart of the steps"),
        start=gettext("Application"),
        end=gettext("Done: the result reaches the applicant"),
        correction=label("step_branch", "correction"),
        refusal=label("step_branch", "refusal"),
        leads_to=lambda n, branches: gettext(
            "Step %(n)d can lead to: %(branches)s", n=n, branches=" / ".join(branches)
        ),
    )


def flow_chart(steps: list[dict], chart_id: str = "flowchart", font: str = "sans-serif") -> Markup:
    """The steps' flow chart as inline SVG (the SVG escapes every text it carries)."""
    return Markup(flowchart_svg(steps, flow_words(), chart_id, font))


def guide_form_url(revision: Revision, number: int, kind: str) -> str:
    """Where material `number`'s blank form or sample is downloaded: its permanent public
    address once the revision is published, the editor's address while it is a draft."""
    if revision.status in PUBLIC_STATUSES and revision.effective_from is not None:
        return url_for("public.guide_form", revision_id=revision.id, number=number, kind=kind)
    sha256 = material_file(revision.content, number, kind)
    return url_for("editor.revision_file", revision_id=revision.id, sha256=sha256)


def form_file_name(content: dict, number: int, kind: str) -> str:
    """The name a downloaded form is saved under: the material's name and what it is."""
    what = gettext("Blank form") if kind == "blank_form" else gettext("Sample")
    name = content["materials"][number - 1]["name"]
    return f"{name}-{what}.pdf".replace("/", "-")


def send_form(content: dict, number: int, kind: str, max_age: int):
    """The PDF of material `number`'s `kind` in `content`, or 404 if it has none."""
    sha256 = material_file(content, number, kind) or abort(404)
    path = stored_pdf(Path(current_app.config["UPLOAD_DIR"]), sha256) or abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        download_name=form_file_name(content, number, kind),
        etag=sha256,
        max_age=max_age,
        conditional=True,
    )


def init_app(app: Flask) -> None:
    for fn in (flow_chart, guide_form_url):
        app.add_template_global(fn)
