//! Periods as agencies write them: exact dates (`{ start: 2026-04-01, end: 2026-09-30 }`), whole
//! months (`ต.ค. ๖๘ – ก.ย. ๖๙`), the whole fiscal year (`ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙`) and quarters of
//! the fiscal year (`ไตรมาส ๑ – ๒`). A written period is printed as written; its first and last day
//! are worked out here, so that it is still checked against the fiscal year.

use chrono::{Datelike, Months, NaiveDate};

use crate::diag::Message;
use crate::msg;

/// The forms a period takes, with an example of each in `fiscal_year`, for messages.
pub fn forms(found: &str, fiscal_year: i32) -> Message {
    let ce = fiscal_year - 543;
    let dates = format!("{{ start: {ce}-04-01, end: {ce}-09-30 }}");
    let months = thai_digits(&format!(
        "ต.ค. {:02} – ก.ย. {:02}",
        (fiscal_year - 1) % 100,
        fiscal_year % 100
    ));
    let year = thai_digits(&format!("ตลอดปีงบประมาณ พ.ศ. {fiscal_year}"));
    msg!(
        "ช่วงเวลาเขียนได้ ๔ แบบ: วันที่แน่นอน {dates}; เป็นเดือน เช่น {months}; ตลอดปีงบประมาณ เช่น {year}; เป็นไตรมาส เช่น ไตรมาส ๑ – ๒ (พบ {found})",
        "a period is written in one of four forms: exact dates {dates}; whole months, e.g. {months}; the whole fiscal year, e.g. {year}; quarters of the fiscal year, e.g. ไตรมาส ๑ – ๒ (found {found})"
    )
}

/// What is wrong with a period written in quarters that [`parse`] refused (`ไตรมาส ๒ – ๕`,
/// `ไตรมาส ๓ – ๑`): a fiscal year's four quarters and their months, the earlier written first.
/// `None` for a period in another form.
pub fn quarters(found: &str) -> Option<Message> {
    if !normalise(found).starts_with("ไตรมาส") {
        return None;
    }
    let each = (0..4)
        .map(|q| {
            let month = |m: usize| MONTHS[(9 + m) % 12].0;
            let n = thai_digits(&(q + 1).to_string());
            format!("ไตรมาส {n} ({} – {})", month(3 * q), month(3 * q + 2))
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(msg!(
        "ปีงบประมาณมี ๔ ไตรมาส: {each}; เขียนไตรมาสแรกก่อน เช่น ไตรมาส ๑ – ๒ (พบ \"{found}\")",
        "a fiscal year has four quarters: {each}; the earlier comes first, e.g. ไตรมาส ๑ – ๒ (found \"{found}\")"
    ))
}

/// Arabic digits as Thai ones.
fn thai_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32('๐' as u32 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `๑ ต.ค. ๒๕๖๘`: a date as a Thai reader writes it, with the Buddhist-Era year.
pub fn thai_date(date: NaiveDate) -> String {
    let month = MONTHS[date.month0() as usize].0;
    thai_digits(&format!("{} {month} {}", date.day(), date.year() + 543))
}

/// `๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙`: the first and last day of a fiscal year, for messages.
pub fn fiscal_year_thai(fiscal_year: i32) -> String {
    let (start, end) = fiscal_year_bounds(fiscal_year);
    format!("{} – {}", thai_date(start), thai_date(end))
}

/// The Thai months, abbreviated and in full: read in periods, printed in dates, and kept on one
/// line with their day and year (`words`).
pub const MONTHS: [(&str, &str); 12] = [
    ("ม.ค.", "มกราคม"),
    ("ก.พ.", "กุมภาพันธ์"),
    ("มี.ค.", "มีนาคม"),
    ("เม.ย.", "เมษายน"),
    ("พ.ค.", "พฤษภาคม"),
    ("มิ.ย.", "มิถุนายน"),
    ("ก.ค.", "กรกฎาคม"),
    ("ส.ค.", "สิงหาคม"),
    ("ก.ย.", "กันยายน"),
    ("ต.ค.", "ตุลาคม"),
    ("พ.ย.", "พฤศจิกายน"),
    ("ธ.ค.", "ธันวาคม"),
];

/// Thai digits as ASCII ones, dashes and "ถึง" as one separator, spaces collapsed.
fn normalise(text: &str) -> String {
    let digits: String = text
        .chars()
        .map(|c| match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            '–' | '—' | '−' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    digits
        .replace("ถึง", "-")
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first and last day of a written period of `fiscal_year`; `None` if it is in no known form.
pub fn parse(text: &str, fiscal_year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let t = normalise(text);
    let (fy_start, _) = fiscal_year_bounds(fiscal_year);
    if let Some(rest) = t
        .strip_prefix("ตลอดปีงบประมาณ")
        .or_else(|| t.strip_prefix("ปีงบประมาณ"))
    {
        let rest = rest.trim().trim_start_matches("พ.ศ.").trim();
        let year = if rest.is_empty() {
            fiscal_year
        } else {
            rest.parse().ok().filter(|y| (2400..3000).contains(y))?
        };
        return Some(fiscal_year_bounds(year));
    }
    if t.starts_with("ไตรมาส") {
        let numbers = t.replace("ไตรมาสที่", "").replace("ไตรมาส", "");
        let parts: Vec<&str> = numbers.split('-').map(str::trim).collect();
        let quarter = |s: &str| s.parse::<u32>().ok().filter(|q| (1..=4).contains(q));
        let (first, last) = match parts.as_slice() {
            [a] => (quarter(a)?, quarter(a)?),
            [a, b] => (quarter(a)?, quarter(b)?),
            _ => return None,
        };
        if first > last {
            return None;
        }
        let start = fy_start.checked_add_months(Months::new(3 * (first - 1)))?;
        let end = fy_start
            .checked_add_months(Months::new(3 * last))?
            .pred_opt()?;
        return Some((start, end));
    }
    let parts: Vec<&str> = t.split('-').map(str::trim).collect();
    let (from, to) = match parts.as_slice() {
        [a] => (month(a)?, month(a)?),
        [a, b] => (month(a)?, month(b)?),
        _ => return None,
    };
    // A month without a year lies in the fiscal year, or next to the other end's year.
    let in_fiscal_year = |m: u32| fiscal_year - 543 - i32::from(m >= 10);
    let (start_year, end_year) = match (from.1, to.1) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (if from.0 > to.0 { b - 1 } else { b }, b),
        (Some(a), None) => (a, if to.0 < from.0 { a + 1 } else { a }),
        (None, None) => (in_fiscal_year(from.0), in_fiscal_year(to.0)),
    };
    let start = NaiveDate::from_ymd_opt(start_year, from.0, 1)?;
    let end = NaiveDate::from_ymd_opt(end_year, to.0, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()?;
    (start <= end && start.year() > 1900).then_some((start, end))
}

/// A month and, if written, its year (CE): `ต.ค. 68`, `ตุลาคม 2568`, `ต.ค.`.
fn month(text: &str) -> Option<(u32, Option<i32>)> {
    let (name, year) = match text.rsplit_once(' ') {
        Some((name, year)) if year.chars().all(|c| c.is_ascii_digit()) => (name.trim(), Some(year)),
        _ => (text.trim(), None),
    };
    let name = name.trim_start_matches("เดือน").trim();
    let m = MONTHS.iter().position(|(short, long)| {
        name == *short || name == *long || name == short.trim_end_matches('.')
    })? as u32
        + 1;
    let year = match year {
        None => None,
        Some(y) if y.len() == 2 => Some(2500 + y.parse::<i32>().ok()? - 543),
        Some(y) if y.len() == 4 => Some(y.parse::<i32>().ok().filter(|y| *y > 2400)? - 543),
        Some(_) => return None,
    };
    Some((m, year))
}

/// First and last day of a Buddhist-Era fiscal year: 1 October of the year before to 30 September.
pub fn fiscal_year_bounds(fiscal_year: i32) -> (NaiveDate, NaiveDate) {
    let ce = fiscal_year - 543;
    let start = NaiveDate::from_ymd_opt(ce - 1, 10, 1).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(ce, 9, 30).unwrap_or(NaiveDate::MAX);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn messages_give_the_fiscal_year_in_its_own_terms() {
        assert_eq!(fiscal_year_thai(2569), "๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙");
        let f = forms("x", 2570).en;
        for example in [
            "{ start: 2027-04-01, end: 2027-09-30 }",
            "ต.ค. ๖๙ – ก.ย. ๗๐",
            "ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐",
        ] {
            assert!(f.contains(example), "{example} not in {f}");
        }
    }

    #[test]
    fn the_forms_agencies_write() {
        let p = |t| parse(t, 2569);
        assert_eq!(
            p("ต.ค. ๖๘ – ก.ย. ๖๙"),
            Some((d("2025-10-01"), d("2026-09-30")))
        );
        assert_eq!(
            p("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙"),
            Some((d("2025-10-01"), d("2026-09-30")))
        );
        assert_eq!(p("ตลอดปีงบประมาณ"), Some((d("2025-10-01"), d("2026-09-30"))));
        assert_eq!(p("ไตรมาส ๑ – ๒"), Some((d("2025-10-01"), d("2026-03-31"))));
        assert_eq!(p("ไตรมาสที่ 4"), Some((d("2026-07-01"), d("2026-09-30"))));
        assert_eq!(
            p("เม.ย. – มิ.ย. 69"),
            Some((d("2026-04-01"), d("2026-06-30")))
        );
        assert_eq!(
            p("พฤศจิกายน 2568 ถึง กุมภาพันธ์ 2569"),
            Some((d("2025-11-01"), d("2026-02-28")))
        );
        assert_eq!(p("ธ.ค. – มี.ค."), Some((d("2025-12-01"), d("2026-03-31"))));
        assert_eq!(
            p("ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐"),
            Some((d("2026-10-01"), d("2027-09-30")))
        );
        for wrong in [
            "เร็ว ๆ นี้",
            "ไตรมาส ๕",
            "ไตรมาส ๓ – ๑",
            "ต.ค. ๖๘ – ",
            "ก.ย. ๖๙ – ต.ค. ๖๘",
            "",
        ] {
            assert_eq!(p(wrong), None, "{wrong}");
        }
    }
}
