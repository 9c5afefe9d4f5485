"""Agreement between the freelancers who did the same items: Krippendorff's alpha per comparable field."""

from __future__ import annotations

from typing import Any

import krippendorff
import numpy as np
from django.db.models import Avg, Count, Q, QuerySet

from annotations.domain.output_spec import parse as parse_spec
from annotations.models import Contribution, ContributionState, GoldItem, Project

# Conventional reading of alpha (Krippendorff 2004): reliable from 0.8, tentative conclusions from 0.667.
RELIABLE, TENTATIVE = 0.8, 0.667


def project_agreement(project: Project) -> list[dict[str, Any]]:
    """For each rating and single-choice field: alpha over submitted and approved work, and how much was compared."""
    spec = parse_spec(project.output_spec)
    fields = [f for f in spec.fields if f.type == "rating" or (f.type == "choice" and not f.options.get("multiple"))]
    if not fields:
        return []
    rows = list(
        Contribution.objects.filter(
            project=project, state__in=[ContributionState.SUBMITTED, ContributionState.APPROVED]
        ).values_list("freelancer_id", "task_id", "answers")
    )
    coders = {c: i for i, c in enumerate(sorted({r[0] for r in rows}))}
    units = {u: j for j, u in enumerate(sorted({r[1] for r in rows}))}
    out = []
    for f in fields:
        options = f.options.get("options") or []
        matrix = np.full((len(coders), len(units)), np.nan)
        for coder, unit, answers in rows:
            value = (answers or {}).get(f.key)
            if f.type == "rating" and isinstance(value, int) and not isinstance(value, bool):
                matrix[coders[coder], units[unit]] = value
            elif f.type == "choice" and value in options:
                matrix[coders[coder], units[unit]] = options.index(value)
        compared = int((np.sum(~np.isnan(matrix), axis=0) >= 2).sum()) if len(units) else 0
        alpha: float | None = None
        note = ""
        values = matrix[~np.isnan(matrix)]
        if compared == 0:
            note = "No item has two answers yet."
        elif len(set(values.tolist())) < 2:
            note = "Every answer is the same value: agreement cannot be measured."
        else:
            level = "interval" if f.type == "rating" else "nominal"
            alpha = round(float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)), 3)
            note = "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "low agreement"
        out.append(
            {"key": f.key, "label": f.label, "type": f.type, "alpha": alpha, "items_compared": compared, "note": note}
        )
    return out


def gold_items_of(project: Project) -> QuerySet[GoldItem]:
    """The project's gold items with how often each was served and how well it was answered."""
    done = Q(item__task__contributions__gold_score__isnull=False) & ~Q(
        item__task__contributions__state=ContributionState.IN_PROGRESS
    )
    return (
        GoldItem.objects.filter(project=project)
        .select_related("item")
        .annotate(
            served=Count("item__task__contributions", distinct=True),
            checked=Count("item__task__contributions", filter=done, distinct=True),
            mean_score=Avg("item__task__contributions__gold_score", filter=done),
        )
        .order_by("id")
    )
