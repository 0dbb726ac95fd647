//! Checks of years and periods: the years a report compares, dates written in the CE calendar,
//! each measure's period (dates, or words resolved to days) inside the fiscal year, and the
//! report deadline just after it.

use chrono::{Datelike, NaiveDate};

use super::{Checker, Period, Year};
use crate::content::PeriodRaw;
use crate::content::period::{self, fiscal_year_bounds};
use crate::diag::{Code, Diagnostic};
use crate::msg;

impl Checker<'_> {
    /// A date typed with a Buddhist-Era year (2569-01-15) is an error with the CE date as a hint.
    pub(super) fn ce_date(&mut self, file: usize, path: &str, date: NaiveDate) -> bool {
        if date.year() < 2400 {
            return true;
        }
        let ce = date.with_year(date.year() - 543).map_or_else(
            || {
                format!(
                    "{}-{:02}-{:02}",
                    date.year() - 543,
                    date.month(),
                    date.day()
                )
            },
            |d| d.to_string(),
        );
        let at = self.locate(file, path);
        self.diags.push(
            Diagnostic::error(Code::DateBuddhistEra, msg!(
                "วันที่ {date} ใช้ปี พ.ศ.: วันที่ในไฟล์ต้องเป็นปี ค.ศ.",
                "the date {date} has a Buddhist-Era year: dates in the files are in the CE calendar"
            ))
            .at(at)
            .field(path)
            .hint(msg!("เช่น {ce}", "e.g. {ce}")),
        );
        false
    }
}

/// The report for fiscal year N analyses the assessment of N - 1 against N - 2.
pub(super) fn check_years(c: &mut Checker, y: &Year) {
    let (fiscal_year, scores, sf) = (y.fiscal_year, &y.scores, c.files.scores);
    if scores.assessed_year != fiscal_year - 1 {
        let (got, want) = (scores.assessed_year, fiscal_year - 1);
        c.error(
            Code::YearAssessed,
            sf,
            "assessed_year",
            msg!(
                "รายงานปีงบประมาณ {fiscal_year} ต้องวิเคราะห์ผลปี {want} แต่ระบุ {got}",
                "the report for fiscal year {fiscal_year} analyses year {want}, found {got}"
            ),
        );
    }
    if scores.previous_year != scores.assessed_year - 1 {
        let (got, want) = (scores.previous_year, scores.assessed_year - 1);
        c.error(
            Code::YearPrevious,
            sf,
            "previous_year",
            msg!(
                "ปีที่เปรียบเทียบต้องเป็น {want} แต่ระบุ {got}",
                "the compared year must be {want}, found {got}"
            ),
        );
    }
}

/// The document's date and the report deadline are CE dates; returns whether the deadline is.
pub(super) fn check_agency_dates(c: &mut Checker, y: &Year) -> bool {
    let af = c.files.agency;
    if let Some(date) = y.agency.date
        && c.ce_date(af, "date", date)
    {
        check_document_date(c, y.fiscal_year, date);
    }
    c.ce_date(
        af,
        "monitoring.report_deadline",
        y.agency.monitoring.report_deadline,
    )
}

/// Each measure's period: exact dates, or words resolved to their first and last day; `None`
/// where it is wrong (reported here).
pub(super) fn resolve_periods(c: &mut Checker, y: &Year) -> Vec<Option<Period>> {
    let mf = c.files.measures;
    let mut periods = Vec::new();
    for (k, m) in y.measures.measures.iter().enumerate() {
        let path = format!("measures[{k}].period");
        let period = match &m.period {
            PeriodRaw::Dates(d) => {
                let ok = c.ce_date(mf, &format!("{path}.start"), d.start)
                    & c.ce_date(mf, &format!("{path}.end"), d.end);
                let p = Period::new(d.start, d.end);
                if p.is_none() && ok {
                    let (s, e) = (d.start, d.end);
                    c.error(
                        Code::PeriodReversed,
                        mf,
                        &path,
                        msg!("วันเริ่ม {s} อยู่หลังวันสิ้นสุด {e}", "start {s} is after end {e}"),
                    );
                }
                p.filter(|_| ok)
            }
            PeriodRaw::Written(text) => match period::parse(text, y.fiscal_year) {
                Some((start, end)) => Some(Period {
                    start,
                    end,
                    written: Some(text.clone()),
                }),
                None => {
                    c.error(
                        Code::PeriodForm,
                        mf,
                        &path,
                        period::quarters(text).unwrap_or_else(|| {
                            period::forms(&format!("\"{text}\""), y.fiscal_year)
                        }),
                    );
                    None
                }
            },
            // Reported when measures.yaml was loaded, which stopped there.
            PeriodRaw::Invalid(_) => None,
        };
        periods.push(period);
    }
    periods
}

/// Every period inside the fiscal year (1 October to 30 September): one error a period, quoting
/// it as typed and giving the year's bounds in Thai dates.
pub(super) fn check_periods_in_year(c: &mut Checker, fiscal_year: i32, periods: &[Option<Period>]) {
    let mf = c.files.measures;
    let (fy_start, fy_end) = fiscal_year_bounds(fiscal_year);
    let bounds = period::fiscal_year_thai(fiscal_year);
    for (k, p) in periods.iter().enumerate() {
        let Some(p) = p else { continue };
        let outside = |d: NaiveDate| d < fy_start || d > fy_end;
        if !outside(p.start) && !outside(p.end) {
            continue;
        }
        // Written, the period is quoted as written; as dates, as the two dates typed, and the
        // error points at the first outside.
        let (typed, path) = match p.written() {
            Some(w) => (w.to_string(), format!("measures[{k}].period")),
            None => {
                let which = if outside(p.start) { "start" } else { "end" };
                let typed = format!("{} – {}", p.start, p.end);
                (typed, format!("measures[{k}].period.{which}"))
            }
        };
        let runs = format!(
            "{} – {}",
            period::thai_date(p.start),
            period::thai_date(p.end)
        );
        c.error(
            Code::PeriodOutsideYear,
            mf,
            path,
            msg!(
                "ช่วงเวลา \"{typed}\" ({runs}) อยู่นอกปีงบประมาณ {fiscal_year} ({bounds})",
                "the period \"{typed}\" ({runs}) is outside fiscal year {fiscal_year} ({bounds})"
            ),
        );
    }
}

/// The report deadline falls in the fiscal year or at most three months after it (when it is a
/// CE date at all: `deadline_ce`).
pub(super) fn check_deadline(c: &mut Checker, y: &Year, deadline_ce: bool) {
    let fiscal_year = y.fiscal_year;
    let (fy_start, fy_end) = fiscal_year_bounds(fiscal_year);
    let deadline = y.agency.monitoring.report_deadline;
    let latest = fy_end + chrono::Days::new(92);
    if deadline_ce && (deadline < fy_start || deadline > latest) {
        c.error(Code::DateDeadline, c.files.agency, "monitoring.report_deadline", msg!(
            "กำหนดส่งรายงาน {deadline} ต้องอยู่ในปีงบประมาณ {fiscal_year} หรือไม่เกิน {latest}",
            "the report deadline {deadline} must fall in fiscal year {fiscal_year} or by {latest}"
        ));
    }
}

/// The document's date lies within a year of its fiscal year: `-0001-01-01` or `1066-10-14` is a
/// slip that the templates would print or fail on.
fn check_document_date(c: &mut Checker, fiscal_year: i32, date: NaiveDate) {
    let (start, end) = fiscal_year_bounds(fiscal_year);
    let (from, to) = (
        start.with_year(start.year() - 1).unwrap_or(start),
        end.with_year(end.year() + 1).unwrap_or(end),
    );
    if date < from || date > to {
        let at = c.locate(c.files.agency, "date");
        let (fy_before, fy_after) = (fiscal_year - 1, fiscal_year + 1);
        c.diags.push(
            Diagnostic::error(crate::diag::Code::DateRange, msg!(
                "วันที่ของเอกสาร {date} ไม่อยู่ในช่วงของปีงบประมาณ {fiscal_year}: ต้องอยู่ระหว่าง {from} (ต้นปีงบประมาณ {fy_before}) ถึง {to} (สิ้นปีงบประมาณ {fy_after})",
                "the document's date {date} is far from fiscal year {fiscal_year}: it must be from {from} (the start of FY {fy_before}) to {to} (the end of FY {fy_after})"
            ))
            .at(at)
            .field("date"),
        );
    }
}
