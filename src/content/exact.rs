//! Exact arithmetic on scores as typed, and the one rounding rule of the report: half up to the
//! hundredth that is printed. A double cannot hold 90.005 (the nearest is 90.00499999...), so
//! `(x * 100.0).round()` printed it as 90.00 and a mean of 90.00 and 90.01 the same way; the
//! value typed is recovered to the millionth and everything after that is done in integers.

/// A non-negative fraction of points, kept exact: a typed score, the mean of some, the ITA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Exact {
    pub const ZERO: Exact = Exact { num: 0, den: 1 };

    /// The value typed: a score read from YAML, to the millionth.
    pub fn of(x: f64) -> Exact {
        Exact::new((x * 1e6).round() as i128, 1_000_000)
    }

    fn new(num: i128, den: i128) -> Exact {
        let g = gcd(num, den);
        Exact {
            num: num / g,
            den: den / g,
        }
    }

    /// The mean of the values (zero for none).
    pub fn mean(xs: impl Iterator<Item = f64>) -> Exact {
        let micros = |x: f64| (x * 1e6).round() as i128;
        let (sum, n) = xs.fold((0i128, 0i128), |(s, n), x| (s + micros(x), n + 1));
        if n == 0 {
            Exact::ZERO
        } else {
            Exact::new(sum, n * 1_000_000)
        }
    }

    pub fn plus(self, o: Exact) -> Exact {
        let g = gcd(self.den, o.den);
        let den = self.den / g * o.den;
        Exact::new(self.num * (den / self.den) + o.num * (den / o.den), den)
    }

    pub fn times(self, o: Exact) -> Exact {
        let (a, b) = (gcd(self.num, o.den), gcd(o.num, self.den));
        Exact::new((self.num / a) * (o.num / b), (self.den / b) * (o.den / a))
    }

    /// Divided by a whole number.
    pub fn over(self, n: i128) -> Exact {
        Exact::new(self.num, self.den * n)
    }

    /// In hundredths, rounded half up: what the report prints.
    pub fn cents(self) -> i64 {
        (200 * self.num + self.den).div_euclid(2 * self.den) as i64
    }

    /// Rounded to the printed hundredth, as a number.
    pub fn rounded(self) -> f64 {
        self.cents() as f64 / 100.0
    }
}

/// A score in hundredths as printed, rounded half up from the value typed.
pub fn cents(x: f64) -> i64 {
    Exact::of(x).cents()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_cents_round_up_as_typed() {
        assert_eq!(cents(90.005), 9001);
        assert_eq!(cents(89.995), 9000);
        assert_eq!(cents(90.004), 9000);
        assert_eq!(cents(100.0), 10000);
        // The mean of 90.00 and 90.01 is 90.005 exactly.
        assert_eq!(Exact::mean([90.0, 90.01].into_iter()).cents(), 9001);
        // 30% of 90.015 is 27.0045: 27.00, where a double says 27.01 after a scaled product.
        let w = Exact::of(30.0).over(100).times(Exact::of(90.015));
        assert_eq!(w.cents(), 2700);
    }
}
