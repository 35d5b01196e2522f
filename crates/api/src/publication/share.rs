//! Shares of a total as exact fractions, rounded only for display (no floats anywhere).

/// `part/whole` reduced (`3/5`), or `0/0` for an empty whole.
pub fn exact(part: u64, whole: u64) -> String {
    let g = gcd(part, whole).max(1);
    format!("{}/{}", part / g, whole / g)
}

/// `part/whole` as a percentage with two decimals, rounded half up (`60.00%`); `—` for an empty whole.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let scaled = u128::from(part) * 10_000;
    let whole = u128::from(whole);
    let basis_points = (scaled * 2 + whole) / (whole * 2);
    format!("{}.{:02}%", basis_points / 100, basis_points % 100)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_and_rounded_half_up_for_display() {
        assert_eq!(exact(30_000, 50_000), "3/5");
        assert_eq!(percent(30_000, 50_000), "60.00%");
        assert_eq!(exact(2, 3), "2/3");
        assert_eq!(percent(2, 3), "66.67%");
        assert_eq!(percent(1, 3), "33.33%");
        assert_eq!(percent(1, 8), "12.50%");
        assert_eq!(percent(1, 80_000), "0.00%");
        assert_eq!(percent(1, 20_000), "0.01%");
        assert_eq!(exact(0, 0), "0/0");
        assert_eq!(percent(5, 0), "—");
        assert_eq!(percent(7, 7), "100.00%");
    }
}
