"""The vendors report (`reports/vendors/`) and its export (`exports/vendors.csv`), for finance and L&D.

Both read `rules.vendors.vendor_report`: spend per vendor and year (committed by approved requests, and of
that the part whose session was attended), each vendor's courses and contract, and the contracts that end
within the organisation's `expiring_within_days`. They name no person: who requested what is on the budgets
report and in the approvals export. Who reads them is `rules.readers.ORG_PAGES` (docs/vendors.md).
"""

from __future__ import annotations

from typing import TextIO

from ..rules.vendors import VendorReport, vendor_report
from .exports import _csv
from .pages import Pages
from .views import SiteData

PAGE = "reports/vendors/index.html"
EXPORT = "vendors.csv"


def report(data: SiteData) -> VendorReport:
    return vendor_report(data.org, data.as_of, data.budget_lines)


def page(pages: Pages, found: VendorReport) -> str:
    """The report's page, in the site's shell."""
    return pages._page("vendors.html", pages.words.t("site.nav.vendors"), 2, report=found)


def vendors_csv(found: VendorReport, stream: TextIO) -> None:
    """One row per vendor and year with spend (a vendor without spend: one row, no year), newest year first."""
    rows = []
    for summary in found.vendors:
        vendor, contract = summary.vendor, summary.vendor.contract
        common = [summary.id, vendor.name, "yes" if vendor.preferred else "no",
                  vendor.contact.name if vendor.contact else "", vendor.contact.email if vendor.contact else "",
                  contract.start if contract else "", contract.end if contract else "", summary.contract_state,
                  "" if summary.days_left is None else summary.days_left, " ".join(summary.courses)]
        years = [summary.years[year] for year in sorted(summary.years, reverse=True)] or [None]
        for year in years:
            rows.append([*common, year.year if year else "", year.requests if year else 0,
                         year.committed if year else 0, year.attended_requests if year else 0,
                         year.attended if year else 0, found.currency])
    _csv(stream, ["vendor", "name", "preferred", "contact", "email", "contract_start", "contract_end", "contract",
                  "days_left", "courses", "year", "requests", "committed", "attended_requests", "attended",
                  "currency"], rows)
