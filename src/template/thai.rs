//! Thai numbers and dates: Thai digits, Buddhist-Era dates with Thai month names, scores,
//! counts and budgets as the report prints them.

use chrono::{Datelike, NaiveDate};

use crate::content::period::MONTHS;

/// Which digits generated numbers are written in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Digits {
    /// ๐๑๒๓๔๕๖๗๘๙
    #[default]
    Thai,
    /// 0123456789
    Arabic,
}

/// Replaces ASCII digits with Thai ones when asked to.
pub fn to_digits(s: &str, digits: Digits) -> String {
    match digits {
        Digits::Arabic => s.to_string(),
        Digits::Thai => s
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32('๐' as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect(),
    }
}

/// Buddhist-Era year of a date.
pub fn be_year(date: NaiveDate) -> i32 {
    date.year() + 543
}

/// `๑ เม.ย. ๖๙`: day, abbreviated month, two-digit Buddhist-Era year.
pub fn date_short(date: NaiveDate, digits: Digits) -> String {
    let s = format!(
        "{} {} {:02}",
        date.day(),
        MONTHS[date.month0() as usize].0,
        be_year(date) % 100
    );
    to_digits(&s, digits)
}

/// `๑๒ ตุลาคม ๒๕๖๙`: day, full month, full Buddhist-Era year.
pub fn date_long(date: NaiveDate, digits: Digits) -> String {
    let s = format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize].1,
        be_year(date)
    );
    to_digits(&s, digits)
}

/// `๑ เม.ย. – ๓๐ มิ.ย. ๖๙`; the start's year is written only when it differs from the end's.
pub fn date_range(start: NaiveDate, end: NaiveDate, digits: Digits) -> String {
    let start_text = if be_year(start) == be_year(end) {
        to_digits(
            &format!("{} {}", start.day(), MONTHS[start.month0() as usize].0),
            digits,
        )
    } else {
        date_short(start, digits)
    };
    format!("{start_text} – {}", date_short(end, digits))
}

/// A score with two decimals: `๙๒.๖๑`; never `-๐.๐๐`.
pub fn score(x: f64, digits: Digits) -> String {
    let c = crate::content::cents(x);
    to_digits(&format!("{}.{:02}", c / 100, c % 100), digits)
}

/// A budget: an amount in baht with thousands separators (`๑๕๐,๐๐๐`, `๑,๕๐๐.๕๐`), or its words.
pub fn budget(b: &crate::content::Budget, digits: Digits) -> String {
    match b {
        crate::content::Budget::Text(t) => t.clone(),
        crate::content::Budget::Amount(x) => {
            // Rounded to the satang first, so 1.999 is ๒ and not ๑.๙๙.
            let satang = (x * 100.0).round() as u64;
            let whole = count(satang / 100, digits);
            match satang % 100 {
                0 => whole,
                s => format!("{whole}.{}", to_digits(&format!("{s:02}"), digits)),
            }
        }
    }
}

/// A count with thousands separators: `๘,๓๑๗`.
pub fn count(n: u64, digits: Digits) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    to_digits(&out, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn thai_digits() {
        assert_eq!(to_digits("92.61", Digits::Thai), "๙๒.๖๑");
        assert_eq!(to_digits("92.61", Digits::Arabic), "92.61");
        assert_eq!(to_digits("ข้อ i10 ๑", Digits::Thai), "ข้อ i๑๐ ๑");
        assert_eq!(score(100.0, Digits::Thai), "๑๐๐.๐๐");
        assert_eq!(score(86.104, Digits::Thai), "๘๖.๑๐");
        assert_eq!(count(8317, Digits::Thai), "๘,๓๑๗");
        assert_eq!(count(160, Digits::Arabic), "160");
        assert_eq!(count(1_234_567, Digits::Arabic), "1,234,567");
    }

    #[test]
    fn buddhist_era_dates() {
        assert_eq!(date_short(d(2026, 4, 1), Digits::Thai), "๑ เม.ย. ๖๙");
        assert_eq!(date_long(d(2026, 10, 12), Digits::Thai), "๑๒ ตุลาคม ๒๕๖๙");
        assert_eq!(
            date_range(d(2026, 4, 1), d(2026, 6, 30), Digits::Thai),
            "๑ เม.ย. – ๓๐ มิ.ย. ๖๙"
        );
        assert_eq!(
            date_range(d(2025, 10, 1), d(2026, 9, 30), Digits::Thai),
            "๑ ต.ค. ๖๘ – ๓๐ ก.ย. ๖๙"
        );
        assert_eq!(
            date_range(d(2025, 12, 1), d(2026, 3, 31), Digits::Arabic),
            "1 ธ.ค. 68 – 31 มี.ค. 69"
        );
        // Year 2600 BE prints as ๐๐, not as a one-digit year.
        assert_eq!(date_short(d(2057, 1, 5), Digits::Arabic), "5 ม.ค. 00");
    }

    #[test]
    fn budgets_round_to_the_satang() {
        use crate::content::Budget::Amount;
        assert_eq!(budget(&Amount(150000.0), Digits::Arabic), "150,000");
        assert_eq!(budget(&Amount(1500.5), Digits::Arabic), "1,500.50");
        assert_eq!(budget(&Amount(1.999), Digits::Arabic), "2");
        assert_eq!(budget(&Amount(999.996), Digits::Thai), "๑,๐๐๐");
    }
}
