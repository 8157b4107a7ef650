"""A draw as the drawing page and the cohort page show it: strata named in the council's
words, the sample and the children left out as rows."""

from practice_review.sampling.draw import ALL_CHILDREN


class DrawPresenter:
    def __init__(self, result, framework_labels=None):
        self.result = result
        # Framework keys in the council's words (reviews/queries.frameworks()).
        self.labels = framework_labels or {}

    def label(self, stratum):
        if stratum == ALL_CHILDREN:
            return "All children"
        return self.labels.get(stratum, stratum)

    @property
    def strata_rows(self):
        return [
            (self.label(key), row["population"], row["eligible"], row["allocated"])
            for key, row in self.result["strata"].items()
        ]

    @property
    def totals(self):
        rows = self.result["strata"].values()
        return tuple(sum(row[column] for row in rows)
                     for column in ("population", "eligible", "allocated"))  # fmt: skip

    @property
    def sample_rows(self):
        return [(row["case_ref"], self.label(row["stratum"]), row["reason"])
                for row in self.result["sample"]]  # fmt: skip

    @property
    def excluded_rows(self):
        return [(row["case_ref"], row["reason"]) for row in self.result["excluded"]]
