//! Work split over the machine's cores, on rayon's pool: the one typst lays pages out on, so a
//! batch build that gives each report one thread of a pool of `--jobs` threads (the batches of
//! `cmd::build`) runs these inside it too, and `--jobs 1` uses one core. A leaf: it knows no other
//! module.

use rayon::iter::{IntoParallelIterator, ParallelIterator};

/// `f` over `items`, in order, on the current rayon pool.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    items.into_par_iter().map(f).collect()
}

/// `a` and `b`, on two threads of the current rayon pool when it has them.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}
