//! A small deterministic random number generator (SplitMix64). No floating point is
//! needed by callers, so the output is the same on every platform and every build.

#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

/// Stream numbers for [`Rng::derive`]: each kind of record draws from its own stream.
pub(crate) mod stream {
    pub const DISTRICT: u64 = 1;
    pub const PROJECT: u64 = 2;
    pub const SPEC: u64 = 3;
    pub const ENTERPRISE: u64 = 4;
    pub const VISIT: u64 = 5;
    pub const PROBLEM: u64 = 6;
    pub const LEAD: u64 = 7;
    pub const ACTIVITY: u64 = 8;
    pub const FAI: u64 = 9;
    pub const CONFIDENCE: u64 = 10;
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut r = Rng {
            state: seed ^ 0x5A17_2019_D15C_0000,
        };
        r.next_u64();
        r
    }

    /// An independent generator for item `index` of `stream`, so that adding records of
    /// one kind does not shift the numbers drawn for another.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng::new(seed);
        r.state ^= stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        r.next_u64();
        r.state ^= index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `percent` in a hundred.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights (at least one must be positive).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| *w as u64).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w as u64 {
                return i;
            }
            x -= *w as u64;
        }
        weights.len() - 1
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_and_ranges_hold() {
        let a: Vec<u64> = (0..8).map(|_| 0).scan(Rng::new(7), |r, _: u64| Some(r.next_u64())).collect();
        let b: Vec<u64> = (0..8).map(|_| 0).scan(Rng::new(7), |r, _: u64| Some(r.next_u64())).collect();
        assert_eq!(a, b);
        let mut r = Rng::derive(1, 2, 3);
        for _ in 0..1000 {
            let x = r.range(-3, 5);
            assert!((-3..=5).contains(&x));
            assert!(r.weighted(&[0, 3, 0, 1]) % 2 == 1);
        }
        assert_ne!(Rng::derive(1, 2, 3).next_u64(), Rng::derive(1, 2, 4).next_u64());
    }
}
