"""A local authority's officer downloads the Excel template, fills two rows
with what the drop-down lists offer, uploads it, checks it, imports it; and
uploading the same file again creates nothing."""

from __future__ import annotations

from tests.browser import go, settled, signed_in
from tests.e2e.test_journeys import button, flash, query, show_tab
from tests.test_import_template import filled
from tracker.i18n import t


def test_download_the_template_fill_two_rows_upload_check_and_import(writable_app, tabs, tmp_path):
    base, url = writable_app
    lille = tabs()
    signed_in(lille, base, "lille@demo.invalid")
    go(lille, t("nav.contributions", "fr"), t("contrib.title", "fr"))
    show_tab(lille, t("contrib.tab_import", "fr"))

    with lille.expect_download() as download:
        button(lille, t("import.template_xlsx", "fr")).click()
    assert download.value.suggested_filename == "modele-contributions.xlsx"
    template = tmp_path / "modele.xlsx"
    download.value.save_as(template)
    mine = tmp_path / "mes-actions.xlsx"
    mine.write_bytes(filled(template.read_bytes()))
    before = query(url, "SELECT count(*) FROM contributions")[0][0]

    lille.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(mine))
    settled(lille)
    button(lille, t("import.run", "fr")).click()  # « Vérifier seulement » is ticked
    checked = t("import.checked", "fr", rows=2, created=2, updated=0, unchanged=0)
    flash(lille, checked)
    assert query(url, "SELECT count(*) FROM contributions")[0][0] == before

    lille.get_by_text(t("import.dry_run", "fr")).click()
    settled(lille)
    button(lille, t("import.run", "fr")).click()
    flash(lille, t("import.done", "fr", rows=2, created=2, updated=0, unchanged=0))
    assert query(url, "SELECT count(*) FROM contributions")[0][0] == before + 2

    show_tab(lille, t("contrib.tab_import", "fr"))
    lille.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(mine))
    settled(lille)
    button(lille, t("import.run", "fr")).click()
    flash(lille, t("import.done", "fr", rows=2, created=0, updated=0, unchanged=2))
    assert query(url, "SELECT count(*) FROM contributions")[0][0] == before + 2
