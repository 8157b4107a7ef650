"""`practice-review sample`: draw a cohort from the current caseload extract (docs/sampling.md).

The draw goes to standard output (JSON or CSV) and nothing else does, so it can be piped; the
seed a draw was given when none was asked for, and the cohort created, are said on standard
error."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from practice_review.accounts.models import User, system_actor
from practice_review.core.spreadsheets import to_csv
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.models import Cohort
from practice_review.sampling import actions, queries
from practice_review.sampling.draw import (
    DEFAULT_MONTHS,
    LARGEST_SEED,
    MOST_MONTHS,
    STRATA,
    Rules,
    SampleRefused,
    new_seed,
)


def as_of_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-03-31; got {text!r}") from None


def as_csv(result):
    rows = [("sampled", row["case_ref"], row["stratum"], row["reason"]) for row in result["sample"]]
    rows += [("excluded", row["case_ref"], "", row["reason"]) for row in result["excluded"]]
    return to_csv(("outcome", "case_ref", "stratum", "reason"), rows).decode("utf-8")


class Command(BaseCommand):
    help = "Draw a stratified random sample of children from the current caseload extract."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, required=True, help="how many children")
        parser.add_argument("--strata", choices=STRATA, default="legal_status")
        parser.add_argument(
            "--exclude-reviewed-within",
            type=int,
            default=DEFAULT_MONTHS,
            metavar="MONTHS",
            help="leave out children reviewed in the MONTHS months before the as-of date "
            f"(default {DEFAULT_MONTHS}; 0 leaves nobody out)",
        )
        parser.add_argument("--cover", choices=["social_worker"], default="")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
        parser.add_argument("--seed", type=int, help="a whole number; default: a new one")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--create-cohort", metavar="NAME")
        parser.add_argument("--by", help="the user the cohort is attributed to")

    def handle(self, **options):
        if not 0 <= options["exclude_reviewed_within"] <= MOST_MONTHS:
            raise CommandError(f"--exclude-reviewed-within must be 0 to {MOST_MONTHS} months")
        seed = options["seed"]
        if seed is not None and not 0 <= seed <= LARGEST_SEED:
            raise CommandError(f"--seed must be a whole number from 0 to {LARGEST_SEED:,}")
        rules = Rules(
            size=options["size"],
            as_of=as_of_date(options["as_of"]) if options["as_of"] else timezone.localdate(),
            seed=new_seed() if seed is None else seed,
            strata=options["strata"],
            exclude_reviewed_within=options["exclude_reviewed_within"],
            cover=options["cover"],
        )
        name = options["create_cohort"]
        try:
            if name is not None:
                result = self._create(name, rules, options["by"])
            else:
                _, result = actions.draw_sample(rules)
        except (SampleRefused, NotAllowed) as refused:
            raise CommandError(str(refused)) from None
        warning = queries.old_extract_warning_for(queries.current_extract(), rules.as_of)
        if warning:
            self.stderr.write(warning)
        if seed is None:
            self.stderr.write(f"Seed {rules.seed} (give --seed {rules.seed} to draw this again)")
        if options["format"] == "csv":
            self.stdout.write(as_csv(result), ending="")
        else:
            self.stdout.write(json.dumps(result, indent=2))

    def _create(self, name, rules, by):
        if Cohort.objects.filter(name_key=Cohort.key_for(name)).exists():
            raise CommandError(f"A cohort called {name!r} already exists")
        try:
            actor = system_actor(by)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        cohort = actions.draw_cohort(by=actor, name=name, rules=rules)
        self.stderr.write(
            f"Cohort {cohort.name} created: add the {rules.size} children's cases with their "
            "reviewers on the cohort's page"
        )
        return cohort.draw.result
