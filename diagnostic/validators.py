"""Checks of staff-written data: a recommendation rule, a version before publication."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from diagnostic.models import BandCode, DimensionCode, QuestionKind, RecommendationKind

ANSWER_CONDITION = re.compile(r"^[-a-z0-9_]+=[-a-z0-9_]+$")


def rule_problems(rule) -> dict[str, str]:
    """Field → message for a recommendation rule that could not produce a path step."""
    problems: dict[str, str] = {}
    if rule.band and not rule.dimension:
        problems["band"] = _("A band only makes sense with a dimension.")
    if not rule.dimension and not rule.when_answer:
        problems["when_answer"] = _("A rule for any dimension needs a condition on an answer.")
    if rule.when_answer and not ANSWER_CONDITION.match(rule.when_answer):
        problems["when_answer"] = _('Write the condition as "question code=option code".')
    kind = rule.kind
    if kind in (RecommendationKind.ADVICE, RecommendationKind.CONTEST):
        if rule.key or rule.url:
            problems["key"] = _("This kind takes neither a reference nor a link.")
        if kind == RecommendationKind.ADVICE and not (rule.text_fr if hasattr(rule, "text_fr") else rule.text):
            problems["text_fr"] = _("Advice needs its text.")
    elif kind == RecommendationKind.LINK:
        if not rule.url:
            problems["url"] = _("Give the link.")
        elif not (rule.url.startswith("https://") or (rule.url.startswith("/") and not rule.url.startswith("//"))):
            problems["url"] = _("A link starts with https:// or with / (a page of the portal).")
        if not (rule.title_fr if hasattr(rule, "title_fr") else rule.title):
            problems["title_fr"] = _("A link needs a title.")
    else:
        if not rule.key:
            problems["key"] = _("Give the reference this kind points to.")
        elif kind in (RecommendationKind.MOOC_MODULE, RecommendationKind.MEASURE) and not rule.key.isdigit():
            problems["key"] = _("This reference is a number.")
        elif kind == RecommendationKind.EXPEDITIONS_TAG and not re.match(r"^[-a-z0-9_]+$", rule.key):
            problems["key"] = _("This reference is a tag's slug.")
        if rule.url:
            problems["url"] = _("This kind takes a reference, not a link.")
    return problems


def version_problems(version) -> list[str]:
    """What stops a version from being published (its structure, read with a few queries)."""
    problems: list[str] = []
    dimensions = list(version.dimensions.prefetch_related("questions__options").order_by("position", "pk"))
    codes = [d.code for d in dimensions]
    missing = [DimensionCode(c).label for c in DimensionCode.values if c not in codes]
    if missing:
        problems.append(_("Dimensions missing: %(names)s.") % {"names": ", ".join(str(m) for m in missing)})
    for dimension in dimensions:
        questions = list(dimension.questions.all())
        if not questions:
            problems.append(_("“%(dimension)s” has no question.") % {"dimension": dimension.title})
        for question in questions:
            options = list(question.options.all())
            label = {"question": question.code}
            if len(options) < 2:
                problems.append(_("Question %(question)s needs at least two options.") % label)
                continue
            if question.kind == QuestionKind.SCALE and sorted(o.points for o in options) != list(range(6)):
                problems.append(_("Question %(question)s is a 0–5 scale: its six options carry 0 to 5 points.") % label)
            if question.kind != QuestionKind.MULTI and any(o.exclusive for o in options):
                problems.append(_("Question %(question)s: only a checklist has an exclusive option.") % label)
            if all(o.points == 0 for o in options):
                problems.append(_("Question %(question)s: no option carries points.") % label)
    bands = list(version.bands.order_by("min_score"))
    if [b.code for b in bands] != list(BandCode.values):
        problems.append(_("The four bands are needed, in order: beginner, progressing, advanced, leader."))
    elif bands[0].min_score != 0:
        problems.append(_("The first band starts at 0."))
    return problems
