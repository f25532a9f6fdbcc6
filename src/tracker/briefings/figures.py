"""Charts for printed documents, drawn by matplotlib on the machine itself
(no browser, no network): pure functions of a state frame."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from tracker.domain.vocabulary import Status, Theme
from tracker.i18n import pct, t
from tracker.style import RULE, TEXT_MUTED

HATCHES = {
    Status.NON_EVALUEE: "...",
    Status.ENGAGEE: "//",
    Status.PARTIELLEMENT_REALISEE: "\\\\",
    Status.EN_SUSPENS: "xx",
    Status.ABANDONNEE: "--",
}


def progress_by_theme_figure(state: pd.DataFrame, themes: list[Theme], lang: str) -> Figure:
    """One panel per theme: each proposal's progress, coloured (and hatched) by status.

    A proposal not yet assessed has no bar, only its label: never 0 %.
    """
    rows = max([int((state["primary_theme"] == x.value).sum()) for x in themes] + [1])
    figure = Figure(figsize=(7.1, 0.9 + 0.24 * rows), dpi=100, layout="constrained")
    axes = figure.subplots(1, max(len(themes), 1), squeeze=False)[0]
    for axis, theme in zip(axes, themes, strict=False):
        part = state[state["primary_theme"] == theme.value].sort_values("number", ascending=False)
        labels = [t("briefing.number", lang, number=int(x)) for x in part["number"]]
        values = [0 if pd.isna(v) else int(v) for v in part["progress"]]
        statuses = [Status(s) for s in part["status"]]
        bars = axis.barh(
            labels,
            values,
            color=[s.colour for s in statuses],
            hatch=None,
            edgecolor="white",
            height=0.7,
        )
        for bar, status, value, raw in zip(bars, statuses, values, part["progress"], strict=True):
            bar.set_hatch(HATCHES.get(status))
            text = status.label(lang) if pd.isna(raw) else pct(value, lang)
            axis.text(
                value + 2,
                bar.get_y() + bar.get_height() / 2,
                text,
                va="center",
                fontsize=6.5,
                color=TEXT_MUTED,
            )
        axis.set_xlim(0, 130)
        axis.set_xticks([0, 50, 100])
        axis.set_xticklabels([pct(x, lang) for x in (0, 50, 100)], fontsize=6.5)
        axis.set_xlabel(t("label.progress_pct", lang), fontsize=6.5, color=TEXT_MUTED)
        axis.tick_params(axis="y", labelsize=7, length=0)
        axis.set_ylim(-0.6, rows - 0.4)
        axis.set_title(theme.label(lang), fontsize=9, color=theme.colour, fontweight="bold")
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="x", color=RULE, linewidth=0.5)
        axis.set_axisbelow(True)
    present = [s for s in Status if s.value in set(state["status"])]
    columns = min(len(present), 4) or 1
    figure.legend(
        handles=read_across(
            [
                Patch(
                    facecolor=s.colour, hatch=HATCHES.get(s), edgecolor="white", label=s.label(lang)
                )
                for s in present
            ],
            columns,
        ),
        loc="outside lower center",
        ncols=columns,
        fontsize=6.5,
        frameon=False,
    )
    return figure


def read_across(items: list, columns: int) -> list:
    """`items` reordered so that a legend of `columns` columns, which
    matplotlib fills column by column, reads line by line in their order."""
    rows = -(-len(items) // columns)
    grid = [items[r * columns : (r + 1) * columns] for r in range(rows)]
    return [row[c] for c in range(columns) for row in grid if c < len(row)]


def png_bytes(figure: Figure, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
