"""The shipped catalogue: twenty proposals, honest about where each wording comes from."""

import csv
import re
from pathlib import Path

import pytest
from stdnum.fr import siren

from tracker.catalogue.rules import clean_organisation_row, clean_proposal_row
from tracker.domain.vocabulary import OrganisationKind, Status, Theme, WordingStatus

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path("/work/shared/reference/report.md")


def rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_there_are_twenty_proposals_numbered_one_to_twenty():
    assert sorted(int(r["number"]) for r in rows("proposals.csv")) == list(range(1, 21))


def test_every_row_passes_the_catalogue_validation():
    for line, row in enumerate(rows("proposals.csv"), start=2):
        clean_proposal_row(row, line)
    for line, row in enumerate(rows("organisations.csv"), start=2):
        clean_organisation_row(row, line)


def test_no_wording_claims_to_be_verbatim_and_every_one_cites_a_source():
    for row in rows("proposals.csv"):
        assert row["wording_status"] in {WordingStatus.SUMMARY, WordingStatus.RECONSTRUCTED}
        assert row["source_url"].startswith("https://")
        assert row["title_fr"] and row["title_en"] and row["summary_fr"] and row["summary_en"]


def test_summary_rows_cite_one_of_the_public_summaries_named_in_the_reference():
    if REPORT.exists():
        known = set(re.findall(r"https?://\S+", REPORT.read_text(encoding="utf-8")))
    else:
        known = {
            "https://banquedesterritoires.fr",
            "https://www.weka.fr",
            "https://villes-internet.net",
        }
    summaries = [r for r in rows("proposals.csv") if r["wording_status"] == "summary"]
    assert len(summaries) == 9  # the nine proposals a–i the public summaries describe
    for row in summaries:
        assert any(row["source_url"].startswith(k.rstrip(").,")) for k in known), row["number"]


def test_each_theme_leads_some_proposals():
    themes = [r["primary_theme"] for r in rows("proposals.csv")]
    assert {Theme(t) for t in themes} == set(Theme)


def test_sirens_are_only_given_to_local_authorities_and_are_valid():
    for row in rows("organisations.csv"):
        if row["siren"]:
            assert siren.is_valid(row["siren"]), row["code"]
            assert OrganisationKind(row["kind"]).is_local_authority, row["code"]


def test_the_demonstration_follow_up_respects_the_rules():
    from tracker.domain.rules import normalise_progress

    owners = {r["code"] for r in rows("organisations.csv")}
    for row in rows("demo/followup.csv"):
        assert row["lead_owner"] in owners
        assert set(filter(None, row["co_owners"].split("|"))) <= owners
    for row in rows("demo/assessments.csv"):
        status = Status(row["status"])
        assert normalise_progress(status, row["progress"] or None) == (
            int(row["progress"]) if row["progress"] else normalise_progress(status, None)
        )


@pytest.mark.parametrize(
    "name", ["proposals.csv", "organisations.csv", "demo/followup.csv", "demo/assessments.csv"]
)
def test_data_files_are_utf8(name):
    (ROOT / "data" / name).read_bytes().decode("utf-8")
