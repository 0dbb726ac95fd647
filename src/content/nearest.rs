//! "Did you mean": the known name nearest to one typed, for a measure id, a unit or a field that
//! is not known. A slip is a letter dropped, added, changed or two swapped (Damerau-Levenshtein,
//! from `strsim`), and it counts only when small for the name's length: one slip in a name of up
//! to four letters, a fifth of the letters beyond, so `ab` is not taken for `cd`. Names are
//! compared in the normal form of [`super::typing`], so a name typed another way (`เเ` for `แ`,
//! Arabic for Thai digits, a space more) is nearest of all.

/// The known names nearest to `typed` (every one at the least distance), if near enough to be
/// what was meant.
pub fn nearest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let normal = super::typing::normal(typed);
    let length = normal.chars().count();
    let allowed = (length / 5).max(1);
    let near: Vec<(usize, &str)> = known
        .into_iter()
        .filter(|k| *k != typed)
        .map(|k| (super::typing::normal(k), k))
        .map(|(n, k)| {
            (
                strsim::damerau_levenshtein(&normal, &n),
                n.chars().count(),
                k,
            )
        })
        .filter(|&(d, n, _)| d <= allowed && d < length.max(n))
        .map(|(d, _, k)| (d, k))
        .collect();
    let least = near.iter().map(|&(d, _)| d).min();
    let mut out: Vec<&str> = near
        .into_iter()
        .filter(|&(d, _)| Some(d) == least)
        .map(|(_, k)| k)
        .collect();
    out.dedup();
    out
}

/// A hint naming the nearest known names, in both languages.
pub fn did_you_mean<'a>(
    typed: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<crate::diag::Message> {
    let near = nearest(typed, known);
    if near.is_empty() {
        return None;
    }
    let quoted: Vec<String> = near.iter().map(|n| format!("\"{n}\"")).collect();
    let (th, en) = (quoted.join(" หรือ "), quoted.join(" or "));
    Some(crate::msg!("หมายถึง {th} หรือไม่", "did you mean {en}?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_is_near_and_another_name_is_not() {
        let units = ["กองคลัง", "กองช่าง", "สำนักปลัด", "ศปท."];
        assert_eq!(nearest("กองคลง", units), ["กองคลัง"]);
        assert_eq!(nearest("สำนักปลด", units), ["สำนักปลัด"]);
        assert_eq!(nearest("ศทป.", units), ["ศปท."]);
        assert!(nearest("กองการศึกษา", units).is_empty());
        let ids = ["staff-performance", "budget"];
        assert_eq!(nearest("staff-performence", ids), ["staff-performance"]);
        assert!(nearest("ab", ["cd"]).is_empty());
        // Typed another way: the name itself.
        assert_eq!(
            nearest("กลุ่มงาน เเผนงาน", ["กลุ่มงานแผนงาน"]),
            ["กลุ่มงานแผนงาน"]
        );
        assert_eq!(nearest("เขต 2", ["เขต ๒", "เขต ๓"]), ["เขต ๒"]);
        // Two as near: both are named.
        assert_eq!(nearest("ศทป.", ["ศปท.", "ศทส."]), ["ศปท.", "ศทส."]);
    }
}
